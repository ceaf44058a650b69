package dev.strata.scheduler.standalone;

import dev.strata.scheduler.bench.BenchObjects;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One pass of the standalone scheduler's {@link Planner} (pure: informer contents in, actions out)
 * over a large cluster with many pods pending at once, as after a burst of submissions: how long
 * the pass takes and how many pending pods it decides per second. The API calls that follow a pass
 * (binding) are not counted.
 */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description = "Time of one standalone scheduling pass with many pods pending.")
public final class PlannerBenchmark implements Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "5000", description = "8-GPU nodes.")
  int nodes;

  @Option(
      names = "--fill",
      defaultValue = "50",
      description = "Percent of GPUs held by running pods (node by node at random around it).")
  int fill;

  @Option(names = "--pending", defaultValue = "1000", description = "Pending pods in the pass.")
  int pending;

  @Option(
      names = "--gang-share",
      defaultValue = "20",
      description = "Percent of the pending pods that are members of 8-pod gangs of 8 GPUs each.")
  int gangShare;

  @Option(names = "--passes", defaultValue = "5", description = "Measured passes.")
  int passes;

  @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured passes first.")
  int warmup;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the cluster and pods.")
  long seed;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final PrintStream out;

  PlannerBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PlannerBenchmark(System.out)).execute(args));
  }

  @Override
  public Integer call() {
    Random random = new Random(seed);
    List<Node> nodeObjects = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    int runningGpus = 0;
    for (int i = 0; i < nodes; i++) {
      String name = String.format("gpu-%05d", i);
      nodeObjects.add(BenchObjects.node(name));
      // Uniform over 0..2*fill percent of 8 GPUs, so the mean is the fill.
      int used = Math.min(8, Math.round(random.nextInt(2 * fill * 8 / 100 + 1)));
      if (used > 0) {
        pods.add(BenchObjects.running("run-" + i, name, used));
        runningGpus += used;
      }
    }
    int gangMembers = pending * gangShare / 100 / 8 * 8;
    int[] shapes = {1, 1, 1, 2, 4, 8, -300};
    for (int i = 0; i < pending - gangMembers; i++) {
      pods.add(ours(BenchObjects.pending("single-" + i, shapes[i % shapes.length]), null));
    }
    for (int i = 0; i < gangMembers; i++) {
      pods.add(ours(BenchObjects.pending("gang-" + (i / 8) + "-w-" + (i % 8), 8), i / 8));
    }
    Planner planner =
        new Planner(
            StandaloneConfig.defaults(List.of(new TenantQuota(BenchObjects.TENANT, nodes * 8))));
    out.printf(
        "standalone pass: %d nodes (8 GPUs each, %.0f %% held by %d running pods), %d pending"
            + " pods (%d of them in %d gangs of 8 x 8 GPUs), %d passes after %d warm-up%n",
        nodes,
        100.0 * runningGpus / (nodes * 8),
        pods.size() - pending,
        pending,
        gangMembers,
        gangMembers / 8,
        passes,
        warmup);
    Instant now = Instant.now();
    long[] wall = new long[passes];
    long[] cpu = new long[passes];
    int[] counts = new int[3];
    for (int pass = -warmup; pass < passes; pass++) {
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Planner.Plan plan = planner.plan(nodeObjects, pods, Map.of(), Map.of(), now);
      long t1 = System.nanoTime();
      long cpu1 = THREADS.getCurrentThreadCpuTime();
      if (pass >= 0) {
        wall[pass] = t1 - t0;
        cpu[pass] = cpu1 - cpu0;
      }
      Arrays.fill(counts, 0);
      for (Action action : plan.actions()) {
        if (action instanceof Action.Bind bind) {
          counts[0] += bind.members().size();
        } else if (action instanceof Action.Preempt preempt) {
          counts[1] += preempt.nominated().size();
        } else {
          counts[2]++;
        }
      }
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    long medianWall = wall[passes / 2];
    out.printf(
        "pods to bind %d, to place after preemption %d, reported pending %d%n",
        counts[0], counts[1], counts[2]);
    out.printf(
        "pass p50 %.1f ms (min %.1f, max %.1f), CPU p50 %.1f ms; %.0f pending pods decided/s%n",
        medianWall / 1e6,
        wall[0] / 1e6,
        wall[passes - 1] / 1e6,
        cpu[passes / 2] / 1e6,
        pending / (medianWall / 1e9));
    return 0;
  }

  /** The pod for strata-scheduler, as a member of gang {@code gang} when not null. */
  private static Pod ours(Pod pod, Integer gang) {
    PodBuilder builder =
        new PodBuilder(pod).editSpec().withSchedulerName(KubeKeys.SCHEDULER_NAME).endSpec();
    if (gang != null) {
      builder
          .editMetadata()
          .addToLabels(KubeKeys.GANG_NAME_LABEL, "gang-" + gang)
          .addToAnnotations(KubeKeys.GANG_MIN_MEMBER_ANNOTATION, "8")
          .endMetadata();
    }
    return builder.build();
  }
}
