package dev.strata.operators.mpijob.mpirun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One real OpenSSH server per MPI worker host name, all on this machine, so that mpirun can reach
 * "pi-worker-0.pi", "pi-worker-1.pi", … over ssh exactly as a launcher pod does.
 *
 * <p>How names map: host i listens on loopback address 127.0.0.(i+2), and a line in /etc/hosts maps
 * its name to that address. Distinct addresses rather than distinct ports because Open MPI runs
 * plain {@code ssh <host>} for each host in the hostfile, like in a cluster where every worker has
 * its own address and sshd on port 22; a port per host would need a per-host ssh option that the
 * controller's environment does not have. All of 127/8 routes to the loopback interface on Linux,
 * so nothing has to be configured to use those addresses. /etc/hosts rather than an ssh config
 * {@code HostName} because it makes the names resolve for every process, as cluster DNS does
 * (mpirun, ssh, and whatever the job runs). Should port 22 be taken on an address (a system sshd
 * listening on 0.0.0.0), that host falls back to a free port, and {@link #sshConfig()} carries the
 * per-host {@code Port} for ssh.
 *
 * <p>Because the addresses, port 22 and /etc/hosts are machine-wide, a lock file serializes
 * instances across JVMs; each instance removes its own /etc/hosts lines on {@link #close()}, on JVM
 * shutdown, and the next instance removes any left by a JVM that was killed.
 *
 * <p>Each sshd gets a fresh host key, the given authorized_keys, root login by key only (CI runs as
 * root), no PAM and no StrictModes (the temp directories are not root-owned 0700 paths).
 */
public final class LocalSshHosts implements AutoCloseable {

  static final Path ETC_HOSTS = Path.of("/etc/hosts");
  private static final Path LOCK_FILE = Path.of("/tmp/strata-local-ssh-hosts.lock");
  private static final String MARKER = "# strata-local-ssh-hosts";
  private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
  private static final Duration START_WAIT = Duration.ofSeconds(15);

  /** One running sshd. */
  public record Host(String name, String address, int port, Process sshd, Path log) {}

  private final Path dir;
  private final String marker;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private Path sshConfig;
  private boolean closed;

  private LocalSshHosts(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.marker = MARKER + " " + UUID.randomUUID();
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.shutdownHook = new Thread(this::close, "local-ssh-hosts-cleanup");
  }

  /**
   * Starts one sshd per host name, each accepting the keys in {@code authorizedKeys}, and makes the
   * names resolve to their addresses. Close the result to stop them and undo /etc/hosts.
   *
   * @param authorizedKeys authorized_keys content, e.g. the Secret's ssh-publickey
   * @param dir an empty directory for host keys, configs and logs
   */
  public static LocalSshHosts start(String authorizedKeys, List<String> hostNames, Path dir)
      throws IOException {
    if (hostNames.isEmpty() || hostNames.size() > 200) {
      throw new IllegalArgumentException("between 1 and 200 host names: " + hostNames);
    }
    FileChannel channel =
        FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = acquire(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    LocalSshHosts instance = new LocalSshHosts(dir, channel, lock);
    Runtime.getRuntime().addShutdownHook(instance.shutdownHook);
    try {
      instance.startAll(authorizedKeys, hostNames);
      return instance;
    } catch (IOException | RuntimeException e) {
      instance.close();
      throw e;
    }
  }

  /** The running hosts, in the order of the names given. */
  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  public Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in " + hosts.keySet());
    }
    return host;
  }

  /**
   * An ssh_config for the launcher side: the per-host ports where port 22 was taken, and the
   * options that keep ssh from prompting for anything. The identity is not in it; see {@link
   * LocalMpiRun}.
   */
  public Path sshConfig() {
    return sshConfig;
  }

  /** Every sshd's log, for assertion messages. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (Host host : hosts.values()) {
      out.append("--- sshd ").append(host.name()).append(" (").append(host.address());
      out.append(':').append(host.port()).append(")\n");
      try {
        out.append(new String(Files.readAllBytes(host.log()), StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.append("(unreadable: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  /** Stops every sshd and its sessions, removes this instance's /etc/hosts lines, unlocks. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (Host host : hosts.values()) {
        // Sessions (and the orted daemons in them) are the listener's descendants.
        LocalTools.destroyTree(host.sshd().toHandle(), 2_000);
      }
      try {
        removeHostsLines(marker);
      } catch (IOException e) {
        throw new IllegalStateException("could not clean " + ETC_HOSTS, e);
      }
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        // Closing the channel releases the lock; the process exit would too.
      }
      if (Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // Already shutting down.
        }
      }
    }
  }

  private void startAll(String authorizedKeys, List<String> hostNames) throws IOException {
    Files.createDirectories(dir);
    // Lines a killed JVM left behind; the lock guarantees no live instance owns them.
    removeHostsLines(MARKER);
    // The privilege separation directory is compiled into Debian's sshd and missing in containers
    // where the service never ran.
    Files.createDirectories(Path.of("/run/sshd"));
    Path authorizedKeysFile = dir.resolve("authorized_keys");
    Files.writeString(
        authorizedKeysFile, authorizedKeys.endsWith("\n") ? authorizedKeys : authorizedKeys + "\n");

    Path sshd = LocalTools.require("sshd");
    for (int i = 0; i < hostNames.size(); i++) {
      String name = hostNames.get(i);
      if (hosts.containsKey(name)) {
        throw new IllegalArgumentException("duplicate host name " + name);
      }
      String address = "127.0.0." + (i + 2);
      Path hostKey = dir.resolve("ssh_host_ed25519_key-" + i);
      run(
          List.of(
              LocalTools.require("ssh-keygen").toString(),
              "-q",
              "-t",
              "ed25519",
              "-N",
              "",
              "-f",
              hostKey.toString()));
      Host host = startSshd(sshd, i, name, address, 22, hostKey, authorizedKeysFile);
      if (host == null) {
        host = startSshd(sshd, i, name, address, freePort(address), hostKey, authorizedKeysFile);
      }
      if (host == null) {
        throw new IllegalStateException(
            "sshd for " + name + " could not listen on " + address + ": " + logs());
      }
      hosts.put(name, host);
    }

    appendHostsLines();
    for (Host host : hosts.values()) {
      // An older line for the same name, or an nsswitch without "files", would send ssh elsewhere.
      String resolved = run(List.of(LocalTools.require("getent").toString(), "hosts", host.name()));
      String first = resolved.isBlank() ? "" : resolved.strip().split("\\s+")[0];
      if (!first.equals(host.address())) {
        throw new IllegalStateException(
            host.name() + " resolves to '" + first + "', not " + host.address());
      }
    }
    sshConfig = writeSshConfig();
  }

  /** The started host, or null when sshd could not bind (so the caller tries another port). */
  private Host startSshd(
      Path sshd, int index, String name, String address, int port, Path hostKey, Path keys)
      throws IOException {
    Path config = dir.resolve("sshd_config-" + index);
    Files.writeString(
        config,
        String.join(
            "\n",
            "ListenAddress " + address,
            "Port " + port,
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + keys,
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "StrictModes no",
            "UsePAM no",
            "PidFile " + dir.resolve("sshd-" + index + ".pid"),
            ""));
    Path log = dir.resolve("sshd-" + index + ".log");
    // -D: stay in the foreground, so the Process is the listener and its descendants the sessions.
    // sshd re-executes itself per connection, which needs the absolute path.
    Process process =
        new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Host host = new Host(name, address, port, process, log);
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      if (text.contains("Server listening on " + address + " port " + port)) {
        return host;
      }
      if (!process.isAlive()) {
        if (text.contains("Bind to port")) {
          return null;
        }
        throw new IllegalStateException("sshd for " + name + " exited: " + text);
      }
      sleep(50);
    }
    LocalTools.destroyTree(process.toHandle(), 1_000);
    throw new IllegalStateException(
        "sshd for " + name + " did not listen within " + START_WAIT + ": " + Files.readString(log));
  }

  private Path writeSshConfig() throws IOException {
    StringBuilder config = new StringBuilder();
    // ssh takes the first value it reads for an option, so per-host blocks come first.
    for (Host host : hosts.values()) {
      if (host.port() != 22) {
        config.append("Host ").append(host.name()).append("\n  Port ").append(host.port());
        config.append('\n');
      }
    }
    config.append(
        String.join(
            "\n",
            "Host *",
            // Every run has new host keys; nothing to check them against, nowhere worth keeping.
            "  StrictHostKeyChecking no",
            "  UserKnownHostsFile /dev/null",
            // Never prompt: a prompt would hang mpirun until its timeout.
            "  BatchMode yes",
            "  ConnectTimeout 10",
            "  LogLevel ERROR",
            ""));
    Path file = dir.resolve("ssh_config");
    Files.writeString(file, config.toString());
    return file;
  }

  private void appendHostsLines() throws IOException {
    String lines =
        hosts.values().stream()
            .map(host -> host.address() + " " + host.name() + " " + marker + "\n")
            .collect(Collectors.joining());
    String current = Files.readString(ETC_HOSTS);
    if (!current.isEmpty() && !current.endsWith("\n")) {
      current += "\n";
    }
    writeInPlace(current + lines);
  }

  private static void removeHostsLines(String marker) throws IOException {
    String current = Files.readString(ETC_HOSTS);
    if (current.lines().noneMatch(line -> line.contains(marker))) {
      return;
    }
    writeInPlace(
        current
            .lines()
            .filter(line -> !line.contains(marker))
            .map(line -> line + "\n")
            .collect(Collectors.joining()));
  }

  /** In place, not by rename: in containers /etc/hosts is a bind mount that cannot be replaced. */
  private static void writeInPlace(String content) throws IOException {
    Files.writeString(
        ETC_HOSTS,
        content,
        StandardCharsets.UTF_8,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static FileLock acquire(FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "another test holds " + LOCK_FILE + " for more than " + LOCK_WAIT);
      }
      sleep(200);
    }
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return socket.getLocalPort();
    }
  }

  private static String run(List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        LocalTools.destroyTree(process.toHandle(), 0);
        throw new IllegalStateException("timed out: " + command);
      }
    } catch (InterruptedException e) {
      LocalTools.destroyTree(process.toHandle(), 0);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0 && !command.get(0).endsWith("getent")) {
      throw new IllegalStateException(command + " exited " + process.exitValue() + ": " + output);
    }
    return output;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
