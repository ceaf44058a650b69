package dev.strata.operators.mpijob.mpirun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.operators.mpijob.ssh.SshKeyPair;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real Open MPI over real OpenSSH, with a key from {@link SshKeyPairGenerator}. */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalMpiRunTest {

  private static final List<String> WORKERS = List.of("pi-worker-0.pi", "pi-worker-1.pi");
  private static final String HOSTFILE = "pi-worker-0.pi slots=1\npi-worker-1.pi slots=1\n";

  /** What an upstream-compatible controller sets on an Open MPI launcher, minus the hostfile. */
  private static final Map<String, String> LAUNCHER_ENV =
      Map.of(
          "OMPI_MCA_orte_keep_fqdn_hostnames", "true",
          "OMPI_MCA_plm_rsh_args", "-o ConnectionAttempts=10");

  @BeforeEach
  void needsLocalMpiAndSsh() {
    Optional<String> reason = LocalTools.unavailableReason();
    assumeTrue(reason.isEmpty(), () -> "real mpirun over ssh skipped: " + reason.orElseThrow());
  }

  @Test
  void eachRankRunsThroughItsWorkersSshd(@TempDir Path dir) throws Exception {
    SshKeyPair key = SshKeyPairGenerator.generate();
    SshAuthMount auth =
        SshAuthMount.write(
            dir.resolve("ssh-auth"),
            Map.of(
                SshAuthMount.PRIVATE_KEY, key.privateKeyPem(),
                SshAuthMount.PUBLIC_KEY, key.authorizedKey()));

    List<Long> sshdPids;
    LocalMpiRun.Result result;
    String sshdLogs;
    LocalSshHosts.Host worker0;
    LocalSshHosts.Host worker1;
    try (LocalSshHosts hosts =
        LocalSshHosts.start(auth.authorizedKeys(), WORKERS, dir.resolve("hosts"))) {
      sshdPids = hosts.hosts().stream().map(host -> host.sshd().pid()).toList();
      worker0 = hosts.host("pi-worker-0.pi");
      worker1 = hosts.host("pi-worker-1.pi");
      assertThat(Files.readString(LocalSshHosts.ETC_HOSTS))
          .contains(worker0.address() + " pi-worker-0.pi ")
          .contains(worker1.address() + " pi-worker-1.pi ");

      result =
          new LocalMpiRun(hosts, auth, dir.resolve("runs"))
              .run(
                  HOSTFILE,
                  LAUNCHER_ENV,
                  "mpirun",
                  "-np",
                  "2",
                  "sh",
                  "-c",
                  "echo rank=$OMPI_COMM_WORLD_RANK conn=$SSH_CONNECTION");
      sshdLogs = hosts.logs();
    }

    String context = result.output() + "\n" + sshdLogs;
    assertThat(result.timedOut()).as(context).isFalse();
    assertThat(result.exitCode()).as(context).isZero();
    // The server side of SSH_CONNECTION names the sshd, hence the worker, each rank came through.
    List<String> ranks =
        result.output().lines().filter(line -> line.startsWith("rank=")).sorted().toList();
    assertThat(ranks).as(context).hasSize(2);
    assertThat(ranks.get(0)).as(context).matches(rankLinePattern(0, worker0));
    assertThat(ranks.get(1)).as(context).matches(rankLinePattern(1, worker1));
    assertThat(sshdLogs).contains("Accepted publickey for root");
    assertNothingLeftBehind(sshdPids);
  }

  @Test
  void aRunThatOutlivesItsTimeoutIsKilledWithEverythingItStarted(@TempDir Path dir)
      throws Exception {
    SshKeyPair key = SshKeyPairGenerator.generate();
    SshAuthMount auth =
        SshAuthMount.write(
            dir.resolve("ssh-auth"),
            Map.of(
                SshAuthMount.PRIVATE_KEY, key.privateKeyPem(),
                SshAuthMount.PUBLIC_KEY, key.authorizedKey()));

    List<Long> sshdPids;
    LocalMpiRun.Result result;
    try (LocalSshHosts hosts =
        LocalSshHosts.start(auth.authorizedKeys(), WORKERS, dir.resolve("hosts"))) {
      sshdPids = hosts.hosts().stream().map(host -> host.sshd().pid()).toList();
      result =
          new LocalMpiRun(hosts, auth, dir.resolve("runs"))
              .run(
                  HOSTFILE,
                  LAUNCHER_ENV,
                  Duration.ofSeconds(3),
                  List.of("mpirun", "-np", "2", "sleep", "600"));
      assertThat(sleepingRanks()).as("ranks still running after the timeout").isEmpty();
    }

    assertThat(result.timedOut()).as(result.output()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(30));
    assertNothingLeftBehind(sshdPids);
  }

  /** SSH_CONNECTION is "client-ip client-port server-ip server-port". */
  private static String rankLinePattern(int rank, LocalSshHosts.Host host) {
    return "rank=%d conn=\\S+ \\d+ %s %d"
        .formatted(rank, host.address().replace(".", "\\."), host.port());
  }

  private static void assertNothingLeftBehind(List<Long> sshdPids) throws Exception {
    for (long pid : sshdPids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("sshd " + pid).isEmpty();
    }
    assertThat(Files.readString(LocalSshHosts.ETC_HOSTS)).doesNotContain("strata-local-ssh-hosts");
  }

  private static List<String> sleepingRanks() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep 600"))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }
}
