package dev.strata.sandbox.cli;

import dev.strata.sandbox.Sandbox;
import dev.strata.sandbox.SandboxOptions;
import dev.strata.sandbox.SandboxParts;
import dev.strata.sandbox.sim.NodeInventorySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata-sandbox demo}: the whole platform, the example jobs, live progress. */
@Command(
    name = "demo",
    version = SandboxCommand.VERSION,
    mixinStandardHelpOptions = true,
    description = {
      "Starts the sandbox, submits every job in examples/ to a tenant cluster and shows their"
          + " progress until all have finished.",
      "Exits 0 when every job Succeeded, 1 with the reason otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "default";

  @Option(
      names = "--nodes",
      defaultValue = "v100=16,p100=16",
      description =
          "GPU nodes of the compute cluster, MODEL=COUNT,... (default: ${DEFAULT-VALUE}).")
  String nodes;

  @Option(
      names = "--tenant",
      defaultValue = "team-a",
      description = "The tenant cluster the jobs go to (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--examples",
      paramLabel = "DIR",
      description =
          "Directory of MPIJob/TFJob YAML to submit (default: the repository's examples/).")
  Path examples;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "110",
      description = "Give up after this long and exit 1 (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--plain",
      description = "Print progress as plain lines even on a terminal (no redrawn table).")
  boolean plain;

  private final SandboxParts parts;

  DemoCommand(SandboxParts parts) {
    this.parts = parts;
  }

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds <= 0) {
      System.err.println("--timeout must be more than 0 seconds");
      return 2;
    }
    NodeInventorySpec inventory;
    SandboxOptions options;
    try {
      inventory = NodeInventorySpec.parse(nodes);
      options = new SandboxOptions(List.of(tenant), inventory, 0, false);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Path directory = examples != null ? examples : RepositoryPaths.examples();
    var jobs = ExampleJobs.read(directory);
    Clock clock = Clock.systemUTC();
    try (Sandbox sandbox = Sandbox.start(options, parts)) {
      KubernetesClient tenantClient = sandbox.tenants().get(tenant).client();
      Instant start = clock.instant();
      List<SubmittedJob> submitted = ExampleJobs.submit(tenant, tenantClient, NAMESPACE, jobs);
      System.out.printf(
          "Submitted %d jobs from %s to tenant %s; compute cluster: %s%n",
          submitted.size(), directory, tenant, inventory);
      Map<String, KubernetesClient> tenants = new LinkedHashMap<>();
      sandbox.tenants().forEach((name, server) -> tenants.put(name, server.client()));
      ProgressSampler sampler = new ProgressSampler(tenants, sandbox.compute().client());
      ProgressPrinter printer =
          new ProgressPrinter(System.out, !plain && ProgressPrinter.stdoutIsTerminal());
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      ProgressSnapshot snapshot = sampler.sample(submitted, start, clock.instant());
      while (!snapshot.allFinished() && snapshot.elapsed().compareTo(timeout) < 0) {
        printer.show(snapshot);
        Thread.sleep(500);
        snapshot = sampler.sample(submitted, start, clock.instant());
      }
      printer.finish(snapshot);
      List<String> problems = DemoVerdict.problems(snapshot, timeout);
      if (problems.isEmpty()) {
        System.out.printf(
            "All %d jobs Succeeded in %s.%n",
            snapshot.jobs().size(), ProgressView.clock(snapshot.elapsed()));
        return 0;
      }
      System.out.println("Demo failed:");
      problems.forEach(p -> System.out.println("  " + p));
      return 1;
    }
  }
}
