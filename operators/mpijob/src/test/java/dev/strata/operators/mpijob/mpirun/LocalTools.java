package dev.strata.operators.mpijob.mpirun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Finds the local binaries the harness drives, and says why it cannot run when it cannot. */
final class LocalTools {

  private LocalTools() {}

  /**
   * Why {@link LocalSshHosts} and {@link LocalMpiRun} cannot run on this machine, or empty when
   * they can. Meant for {@code assumeTrue(reason.isEmpty(), ...)}.
   */
  static Optional<String> unavailableReason() {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("mpirun", "sshd", "ssh", "ssh-keygen", "getent")) {
      if (find(tool).isEmpty()) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      return Optional.of(
          "not installed: "
              + String.join(", ", missing)
              + " (apt-get install openmpi-bin openssh-server openssh-client)");
    }
    if (!isRoot()) {
      // Port 22, /etc/hosts and an sshd that logs in as its own user all need root.
      return Optional.of("needs root: it edits /etc/hosts and runs sshd on port 22");
    }
    if (!Files.isWritable(LocalSshHosts.ETC_HOSTS)) {
      return Optional.of(LocalSshHosts.ETC_HOSTS + " is not writable");
    }
    return Optional.empty();
  }

  /** sshd lives in sbin, which a non-login PATH often lacks. */
  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(
            Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin", "/usr/local/sbin"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static Path require(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException(name + " not found"));
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Ends a process and everything it started, gently first so mpirun can stop its daemons. */
  static void destroyTree(ProcessHandle root, long graceMillis) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    root.destroy();
    try {
      root.onExit().get(graceMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Still alive after the grace period, or interrupted: kill below either way.
    }
    // Descendants started during the grace period count too.
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A process that ignores SIGKILL for 5 s is stuck in the kernel; nothing more to do.
      }
    }
  }
}
