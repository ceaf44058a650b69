package dev.strata.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.sandbox.SandboxParts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SandboxCommandTest {
  @TempDir Path dir;

  /** Runs the command line, capturing what it prints. */
  private record Run(int exitCode, String out, String err) {}

  private static Run run(SandboxParts parts, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    int code;
    try {
      System.setOut(new PrintStream(printed, true));
      CommandLine cli = SandboxCommand.commandLine(parts, new CountDownLatch(1), System.out);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      code = cli.execute(args);
    } finally {
      System.setOut(originalOut);
    }
    return new Run(code, out + printed.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelpNamingItsOptions() {
    Run top = run(SandboxParts.defaults(), "--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("demo", "up");

    Run demo = run(SandboxParts.defaults(), "demo", "--help");
    assertThat(demo.exitCode()).isZero();
    assertThat(demo.out()).contains("--nodes", "--tenant", "--examples", "--timeout", "--plain");

    Run up = run(SandboxParts.defaults(), "up", "--help");
    assertThat(up.exitCode()).isZero();
    assertThat(up.out())
        .contains(
            "--kubeconfig",
            "--tenants",
            "--nodes",
            "--extender-port",
            "--assume-virtual-node-toleration");
  }

  @Test
  void badOptionsExit2WithTheReason() {
    Run noCommand = run(SandboxParts.defaults());
    assertThat(noCommand.exitCode()).isEqualTo(2);
    assertThat(noCommand.err()).contains("name a command: demo or up");

    Run noKubeconfig = run(SandboxParts.defaults(), "up");
    assertThat(noKubeconfig.exitCode()).isEqualTo(2);
    assertThat(noKubeconfig.err()).contains("--kubeconfig");

    Run badNodes = run(SandboxParts.defaults(), "up", "--kubeconfig", "k", "--nodes", "a100=4");
    assertThat(badNodes.exitCode()).isEqualTo(2);

    Run badTenant = run(SandboxParts.defaults(), "up", "--kubeconfig", "k", "--tenants", "Team_A");
    assertThat(badTenant.exitCode()).isEqualTo(2);
  }

  @Test
  void upWritesTheKubeconfigPrintsReadyAndStopsCleanly() throws Exception {
    assumeTrue(KubeconfigsTest.kubectlInstalled(), "kubectl is not installed");
    Path kubeconfig = dir.resolve("sandbox.kubeconfig");
    CountDownLatch stop = new CountDownLatch(1);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CommandLine cli =
        SandboxCommand.commandLine(SandboxParts.defaults(), stop, new PrintStream(printed, true));
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit =
          thread.submit(
              () ->
                  cli.execute(
                      "up",
                      "--kubeconfig",
                      kubeconfig.toString(),
                      "--tenants",
                      "a,b",
                      "--nodes",
                      "v100=2,p100=2"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> printed.toString().contains(UpCommand.READY));

      String ready =
          printed
              .toString()
              .lines()
              .filter(l -> l.startsWith(UpCommand.READY))
              .findFirst()
              .orElseThrow();
      assertThat(ready)
          .contains(kubeconfig.toAbsolutePath().toString())
          .containsPattern("scheduler extender http://127\\.0\\.0\\.1:[0-9]+$");
      String extender = ready.substring(ready.lastIndexOf("http://"));
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(extender + "/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(
              KubeconfigsTest.kubectl(
                      "--kubeconfig", kubeconfig.toString(), "config", "get-contexts", "-o", "name")
                  .lines())
          .containsExactlyInAnyOrder("tenant-a", "tenant-b", "compute");
      assertThat(Files.readString(kubeconfig)).contains("http://");

      stop.countDown();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(printed.toString()).contains("Strata sandbox stopping");
    } finally {
      thread.shutdownNow();
    }
  }

  /** {@code bin/strata-sandbox demo} with every real part: the examples all Succeed. */
  @Test
  void theDemoRunsEveryExampleToSuccessOnTheWholePlatform() {
    Run demo =
        run(
            SandboxParts.defaults(),
            "demo",
            "--nodes",
            "v100=2,p100=4",
            "--timeout",
            "100",
            "--plain");

    assertThat(demo.exitCode()).as(demo.out()).isZero();
    assertThat(demo.out())
        .contains("All 3 jobs Succeeded")
        .containsPattern("team-a/default/pi +MPIJob +Succeeded")
        .containsPattern("team-a/default/mnist +TFJob +Succeeded")
        .containsPattern("team-a/default/resnet50 +MPIJob +Succeeded")
        // The scheduler placed the GPU pods: some progress line counts V100 GPUs in use.
        .containsPattern("V100 [1-9][0-9]*/16");
  }

  /**
   * One V100 server cannot hold the 2-server ResNet gang: the demo gives up after its timeout and
   * says why, in the compute scheduler's words that the virtual node brought back.
   */
  @Test
  void aJobThatCannotBePlacedMakesTheDemoExit1WithTheSchedulersReason() {
    Run demo =
        run(
            SandboxParts.defaults(),
            "demo",
            "--nodes",
            "v100=1,p100=4",
            "--timeout",
            "15",
            "--plain");

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.out())
        .contains("Demo failed:")
        .contains("MPIJob team-a/default/resnet50 still")
        .contains("requires one RoCE switch (strata.dev/topology: required)");
  }
}
