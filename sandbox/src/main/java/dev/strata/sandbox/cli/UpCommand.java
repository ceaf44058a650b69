package dev.strata.sandbox.cli;

import dev.strata.sandbox.Sandbox;
import dev.strata.sandbox.SandboxOptions;
import dev.strata.sandbox.SandboxParts;
import dev.strata.sandbox.SandboxTiers;
import dev.strata.sandbox.sim.NodeInventorySpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata-sandbox up}: the sandbox stays up for kubectl until SIGINT or SIGTERM. */
@Command(
    name = "up",
    version = SandboxCommand.VERSION,
    mixinStandardHelpOptions = true,
    description = {
      "Starts the sandbox and keeps it up until SIGINT or SIGTERM, then shuts it down cleanly.",
      "Writes a kubeconfig with contexts tenant-<name> per tenant and compute, then prints a line"
          + " beginning 'Strata sandbox ready'."
    })
public final class UpCommand implements Callable<Integer> {
  public static final String READY = "Strata sandbox ready";

  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "PATH",
      description = "Where to write the kubeconfig (replaced if it exists).")
  Path kubeconfig;

  @Option(
      names = "--tenants",
      split = ",",
      defaultValue = "team-a",
      paramLabel = "NAME",
      description = "Tenant clusters, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> tenants;

  @Option(
      names = "--nodes",
      defaultValue = "v100=16,p100=16",
      paramLabel = "MODEL=COUNT",
      description =
          "GPU nodes of the compute cluster: v100 (8 GPUs, NVLink), p100 (4 GPUs, PCIe)"
              + " (default: ${DEFAULT-VALUE}).")
  String nodes;

  @Option(
      names = "--extender-port",
      defaultValue = "0",
      paramLabel = "N",
      description = "Port of the scheduler's extender front; 0 picks a free one (default: 0).")
  int extenderPort;

  @Option(
      names = "--assume-virtual-node-toleration",
      description =
          "Bind pods to the virtual node even without its toleration (sandbox setting; the job"
              + " controllers add the toleration to their pods anyway).")
  boolean assumeToleration;

  private final SandboxParts parts;
  private final CountDownLatch stop;
  private final PrintStream out;

  UpCommand(SandboxParts parts, CountDownLatch stop, PrintStream out) {
    this.parts = parts;
    this.stop = stop;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    SandboxOptions options;
    try {
      options =
          new SandboxOptions(
              tenants, NodeInventorySpec.parse(nodes), extenderPort, assumeToleration);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGINT and SIGTERM run the shutdown hooks; the JVM halts once they return, so the hook waits
    // for the sandbox to be closed.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "strata-sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Sandbox sandbox = Sandbox.start(options, parts)) {
      sandbox.writeKubeconfig(kubeconfig);
      String contexts =
          options.tenants().stream().map(Sandbox::tenantContext).collect(Collectors.joining(", "))
              + ", "
              + Sandbox.COMPUTE;
      String extender = sandbox.extenderUrl();
      out.println(
          READY
              + ": kubeconfig "
              + kubeconfig.toAbsolutePath()
              + " (contexts "
              + contexts
              + "), scheduler extender "
              + (extender == null ? "none (no scheduler plugged in)" : extender));
      out.println(
          "Tiers: pods of priority class "
              + SandboxTiers.HIGH_CLASS
              + " are HIGH (guaranteed within the tenant's quota: "
              + SandboxTiers.quotas(options.tenants(), options.nodes()).stream()
                  .map(q -> q.tenant() + " " + q.gpus() + " GPUs")
                  .collect(Collectors.joining(", "))
              + "), all others LOW (idle GPUs, preemptible)");
      out.flush();
      stop.await();
      out.println("Strata sandbox stopping");
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is running.
      }
    }
    return 0;
  }
}
