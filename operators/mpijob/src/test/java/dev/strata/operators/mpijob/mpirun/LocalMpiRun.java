package dev.strata.operators.mpijob.mpirun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a launcher's mpirun command on this machine against {@link LocalSshHosts}, with the
 * launcher's environment, as the launcher container would.
 *
 * <p>The harness changes the environment only where the pod's filesystem differs from this
 * machine's: the hostfile (OMPI_MCA_orte_default_hostfile, mounted at /etc/mpi/hostfile in the pod)
 * points at a temp copy, and OMPI_MCA_plm_rsh_args gains {@code -F <ssh_config> -i <id_rsa>} in
 * front of the caller's own ssh arguments, since ssh looks for ~/.ssh in the passwd home directory,
 * not in $HOME, so the Secret's mount path cannot be emulated by a temp home. Everything else,
 * notably OMPI_MCA_orte_keep_fqdn_hostnames, must come from the caller: without it Open MPI cuts
 * "pi-worker-0.pi" to "pi-worker-0" and ssh cannot resolve it.
 */
public final class LocalMpiRun {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What mpirun did.
   *
   * @param exitCode mpirun's exit status; -1 when it timed out
   * @param output stdout and stderr, interleaved
   */
  public record Result(int exitCode, String output, boolean timedOut, Duration elapsed) {}

  private final LocalSshHosts hosts;
  private final SshAuthMount auth;
  private final Path workDir;

  /**
   * @param auth the launcher's view of the job's SSH Secret
   * @param workDir a directory for hostfiles and logs
   */
  public LocalMpiRun(LocalSshHosts hosts, SshAuthMount auth, Path workDir) {
    this.hosts = hosts;
    this.auth = auth;
    this.workDir = workDir;
  }

  /** {@link #run(String, Map, Duration, List)} with {@link #DEFAULT_TIMEOUT}. */
  public Result run(String hostfileText, Map<String, String> env, String... command)
      throws IOException {
    return run(hostfileText, env, DEFAULT_TIMEOUT, List.of(command));
  }

  /**
   * Runs {@code command} (the launcher's command line, starting with mpirun) and waits for it, at
   * most {@code timeout}; then, or on timeout, ends every process it started.
   *
   * @param hostfileText the hostfile as the controller's ConfigMap holds it
   * @param env the launcher container's environment, added to this JVM's
   */
  public Result run(
      String hostfileText, Map<String, String> env, Duration timeout, List<String> command)
      throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "mpirun-");
    Path hostfile = Files.writeString(dir.resolve("hostfile"), hostfileText);
    Path log = dir.resolve("output.log");

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            // mpirun forwards its stdin to rank 0; the JVM's stdin belongs to the test runner.
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> environment = builder.environment();
    environment.putAll(env);
    environment.put("OMPI_MCA_orte_default_hostfile", hostfile.toString());
    String rshArgs =
        "-F " + hosts.sshConfig() + " -i " + auth.identityFile() + " -o IdentitiesOnly=yes";
    String callerRshArgs = env.get("OMPI_MCA_plm_rsh_args");
    environment.put(
        "OMPI_MCA_plm_rsh_args",
        callerRshArgs == null || callerRshArgs.isBlank() ? rshArgs : rshArgs + " " + callerRshArgs);
    // All daemons and ranks are on this machine; other interfaces may be down or filtered, and
    // Open MPI leaves loopback out of TCP by default.
    if (!env.containsKey("OMPI_MCA_oob_tcp_if_exclude")) {
      environment.putIfAbsent("OMPI_MCA_oob_tcp_if_include", "lo");
    }
    if (!env.containsKey("OMPI_MCA_btl_tcp_if_exclude")) {
      environment.putIfAbsent("OMPI_MCA_btl_tcp_if_include", "lo");
    }
    if (LocalTools.isRoot()) {
      // CI runs as root; launcher images run mpirun as root the same way.
      environment.put("OMPI_ALLOW_RUN_AS_ROOT", "1");
      environment.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    }

    long start = System.nanoTime();
    Process process = builder.start();
    boolean finished = false;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Also after a normal exit: ssh clients or ranks mpirun lost track of must not outlive it.
      LocalTools.destroyTree(process.toHandle(), 5_000);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while mpirun ran: " + output);
    }
    return new Result(finished ? process.exitValue() : -1, output, !finished, elapsed);
  }
}
