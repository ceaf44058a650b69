package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Decision;
import dev.strata.scheduler.core.Gang;
import dev.strata.scheduler.core.GangDecision;
import dev.strata.scheduler.core.GangPlacement;
import dev.strata.scheduler.core.GangPlacer;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NvLinkGroups;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.RunningPods;
import dev.strata.scheduler.core.Scheduler;
import dev.strata.scheduler.core.SchedulingDecision;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.core.Tier;
import dev.strata.scheduler.policy.Policies;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast the placement core decides, on one thread: single pods per second on a large cluster of
 * 8-GPU nodes filling up, and the time to place one large gang. Each policy runs with and without
 * topology labels, side by side in one run, after a warm-up of the same work.
 */
@Command(
    name = "scheduler-benchmark",
    mixinStandardHelpOptions = true,
    description = "Decision throughput of the scheduler core on a large cluster.")
public final class SchedulerBenchmark implements Callable<Integer> {

  @Option(
      names = "--nodes",
      defaultValue = "5000",
      description = "nodes (default ${DEFAULT-VALUE})")
  int nodeCount;

  @Option(names = "--gpus-per-node", defaultValue = "8", description = "GPUs per node")
  int gpusPerNode;

  @Option(
      names = "--policy",
      split = ",",
      defaultValue = "StrataCpuAware,BestFit",
      description = "policies (default ${DEFAULT-VALUE})")
  List<String> policies;

  @Option(
      names = "--fill",
      defaultValue = "90",
      description = "single pods arrive until this %% of GPUs is allocated")
  int fillPercent;

  @Option(names = "--runs", defaultValue = "3", description = "measured fills per policy")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "warm-up fills per policy")
  int warmup;

  @Option(names = "--gang-members", defaultValue = "128", description = "pods in the gang")
  int gangMembers;

  @Option(names = "--gang-gpus", defaultValue = "8", description = "GPUs per gang member")
  int gangGpus;

  @Option(names = "--gang-trials", defaultValue = "50", description = "measured gang decisions")
  int gangTrials;

  @Option(
      names = "--gang-fill",
      defaultValue = "50",
      description = "%% of GPUs allocated by single pods in the second gang scenario")
  int gangFillPercent;

  @Option(names = "--nodes-per-rack", defaultValue = "32", description = "topology: rack size")
  int nodesPerRack;

  @Option(names = "--racks-per-switch", defaultValue = "4", description = "topology: switch size")
  int racksPerSwitch;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the pod mix")
  long seed;

  private final PrintStream out;

  public SchedulerBenchmark() {
    this(System.out);
  }

  SchedulerBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerBenchmark()).execute(args));
  }

  static final long NODE_CPU_MILLI = 96_000;
  static final long NODE_MEMORY_MIB = 768 * 1024;
  static final String MODEL = "V100";

  /** The cluster, with rack, switch and NVLink labels when {@code topology}. */
  List<NodeSpec> cluster(boolean topology) {
    List<NodeSpec> nodes = new ArrayList<>(nodeCount);
    NvLinkGroups nvlink =
        gpusPerNode == 8
            ? NvLinkGroups.parse("0-3,4-7")
            : NvLinkGroups.parse("0-" + (gpusPerNode - 1));
    for (int i = 0; i < nodeCount; i++) {
      String name = String.format(Locale.ROOT, "node-%05d", i);
      if (!topology) {
        nodes.add(new NodeSpec(name, NODE_CPU_MILLI, NODE_MEMORY_MIB, gpusPerNode, MODEL));
        continue;
      }
      int rack = i / nodesPerRack;
      Map<String, String> labels =
          Map.of(
              NodeSpec.RACK_LABEL, "rack-" + rack,
              NodeSpec.SWITCH_LABEL, "switch-" + rack / racksPerSwitch);
      nodes.add(
          new NodeSpec(name, NODE_CPU_MILLI, NODE_MEMORY_MIB, gpusPerNode, MODEL, labels, nvlink));
    }
    return nodes;
  }

  /**
   * Single pods of 1, 2, 4 or 8 GPUs (40, 30, 20, 10 %), 8 cores and 32 GiB per GPU, a tenth of the
   * one-GPU pods a half-GPU share; enough for twice the cluster's GPUs.
   */
  List<PodRequest> pods() {
    Random random = new Random(seed);
    List<PodRequest> pods = new ArrayList<>();
    long gpuMilli = 0;
    for (int i = 0; gpuMilli < 2L * nodeCount * gpusPerNode * NodeSpec.GPU_MILLI; i++) {
      int roll = random.nextInt(10);
      int gpus = roll < 4 ? 1 : roll < 7 ? 2 : roll < 9 ? 4 : 8;
      gpus = Math.min(gpus, gpusPerNode);
      int milli = gpus == 1 && random.nextInt(10) == 0 ? 500 : NodeSpec.GPU_MILLI;
      PodRequest pod =
          new PodRequest("pod-" + i, gpus * 8_000L, gpus * 32 * 1024L, gpus, milli, Set.of());
      pods.add(pod);
      gpuMilli += pod.totalGpuMilli();
    }
    return pods;
  }

  /**
   * Ties go to a seeded random order of the nodes, as in the trace replay, which spreads pods over
   * the switches instead of filling them in name order.
   */
  private Placer placer(String policy, List<PodRequest> history) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int[] ranks = new int[nodeCount];
    for (int rank = 0; rank < nodeCount; rank++) {
      ranks[order.get(rank)] = rank;
    }
    return new Placer(Policies.create(policy, history), TieBreak.ranks(ranks));
  }

  /** Outcome of one fill: pods decided, pods placed, wall time of decide + bind, allocation. */
  record Fill(int decisions, int placed, long nanos, long cpuNanos, double allocatedPercent) {

    double perSecond() {
      return decisions / (nanos / 1e9);
    }

    double perCpuSecond() {
      return decisions / (cpuNanos / 1e9);
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of this thread, which a busy machine does not inflate as it does wall time. */
  static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Decides and binds single pods in order until the cluster reaches {@code percent} of GPUs. */
  static Fill fill(ClusterState cluster, Placer placer, List<PodRequest> pods, int percent) {
    long target = cluster.totalGpuMilli() * percent / 100;
    int decisions = 0;
    int placed = 0;
    long cpuStart = cpuNanos();
    long start = System.nanoTime();
    for (PodRequest pod : pods) {
      if (cluster.allocatedGpuMilli() >= target) {
        break;
      }
      Decision decision = placer.decide(pod, cluster);
      decisions++;
      if (decision instanceof Placement placement) {
        cluster.bind(placement);
        placed++;
      }
    }
    long nanos = System.nanoTime() - start;
    long cpu = cpuNanos() - cpuStart;
    return new Fill(
        decisions,
        placed,
        nanos,
        cpu,
        100.0 * cluster.allocatedGpuMilli() / cluster.totalGpuMilli());
  }

  /**
   * The same single pods as gangs of one through {@link Scheduler#decide(ClusterState, RunningPods,
   * Gang)}, the running pods indexed as a scheduler keeps them: HIGH work within a quota as large
   * as the cluster, so every decision checks the quota.
   */
  static Fill fillThroughScheduler(
      ClusterState cluster, Placer placer, List<PodRequest> pods, int percent) {
    long target = cluster.totalGpuMilli() * percent / 100;
    Scheduler scheduler =
        new Scheduler(
            placer,
            List.of(
                new TenantQuota("bench", (int) (cluster.totalGpuMilli() / NodeSpec.GPU_MILLI))));
    RunningPods running = new RunningPods(cluster);
    int decisions = 0;
    int placed = 0;
    long cpuStart = cpuNanos();
    long start = System.nanoTime();
    for (PodRequest pod : pods) {
      if (cluster.allocatedGpuMilli() >= target) {
        break;
      }
      SchedulingDecision decision =
          scheduler.decide(cluster, running, Gang.of(pod, "bench", Tier.HIGH));
      decisions++;
      if (decision instanceof SchedulingDecision.Admit admit) {
        for (Placement placement : admit.placements()) {
          cluster.bind(placement);
          running.add(new RunningPod(pod.name(), "bench", Tier.HIGH, placement, 0));
        }
        placed++;
      }
    }
    long nanos = System.nanoTime() - start;
    long cpu = cpuNanos() - cpuStart;
    return new Fill(
        decisions,
        placed,
        nanos,
        cpu,
        100.0 * cluster.allocatedGpuMilli() / cluster.totalGpuMilli());
  }

  /** Gang decisions on one cluster state: times in ns and where the last one went. */
  record GangTimes(long[] nanos, long[] cpuNanos, GangDecision last) {

    double percentileMillis(double p) {
      return percentileMillis(nanos, p);
    }

    double cpuPercentileMillis(double p) {
      return percentileMillis(cpuNanos, p);
    }

    private static double percentileMillis(long[] values, double p) {
      long[] sorted = values.clone();
      Arrays.sort(sorted);
      int index = Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }
  }

  GangTimes gangTimes(ClusterState cluster, Placer placer, int trials) {
    List<PodRequest> members = new ArrayList<>();
    for (int m = 0; m < gangMembers; m++) {
      members.add(
          new PodRequest(
              "worker-" + m, gangGpus * 8_000L, gangGpus * 32 * 1024L, gangGpus, 1000, Set.of()));
    }
    Gang gang = new Gang("train", "bench", Tier.HIGH, members);
    long[] nanos = new long[trials];
    long[] cpu = new long[trials];
    GangDecision last = null;
    for (int t = 0; t < trials; t++) {
      long cpuStart = cpuNanos();
      long start = System.nanoTime();
      last = GangPlacer.decide(gang, cluster, placer);
      nanos[t] = System.nanoTime() - start;
      cpu[t] = cpuNanos() - cpuStart;
    }
    return new GangTimes(nanos, cpu, last);
  }

  @Override
  public Integer call() {
    List<PodRequest> pods = pods();
    out.printf(
        Locale.ROOT,
        "cluster: %,d nodes x %d %s GPUs (%d cores, %d GiB); one thread; JVM %s, %d processors%n",
        nodeCount,
        gpusPerNode,
        MODEL,
        NODE_CPU_MILLI / 1000,
        NODE_MEMORY_MIB / 1024,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    out.printf(
        Locale.ROOT,
        "topology 'on': racks of %d nodes, switches of %d racks (%d switches), NVLink groups"
            + " 0-3,4-7%n%n",
        nodesPerRack,
        racksPerSwitch,
        (nodeCount + nodesPerRack * racksPerSwitch - 1) / (nodesPerRack * racksPerSwitch));

    out.printf(
        Locale.ROOT,
        "Single pods (1/2/4/8 GPUs at 40/30/20/10 %%, a tenth of 1-GPU pods half a GPU) until %d %%"
            + " of GPUs are allocated; decide + bind, %d warm-up and %d measured fills%n",
        fillPercent,
        warmup,
        runs);
    out.printf(
        Locale.ROOT,
        "%-16s %-8s %-10s %9s %8s %7s %11s %11s %11s %11s%n",
        "policy",
        "topology",
        "path",
        "decisions",
        "placed",
        "alloc%",
        "best/s",
        "median/s",
        "worst/s",
        "CPU med/s");
    for (String policy : policies) {
      for (boolean topology : new boolean[] {false, true}) {
        List<NodeSpec> nodes = cluster(topology);
        for (boolean viaScheduler : new boolean[] {false, true}) {
          List<Fill> fills = new ArrayList<>();
          for (int r = 0; r < warmup + runs; r++) {
            ClusterState cluster = new ClusterState(nodes);
            Placer placer = placer(policy, pods);
            Fill fill =
                viaScheduler
                    ? fillThroughScheduler(cluster, placer, pods, fillPercent)
                    : fill(cluster, placer, pods, fillPercent);
            if (r >= warmup) {
              fills.add(fill);
            }
          }
          double[] rates = fills.stream().mapToDouble(Fill::perSecond).sorted().toArray();
          double[] cpuRates = fills.stream().mapToDouble(Fill::perCpuSecond).sorted().toArray();
          Fill first = fills.get(0);
          out.printf(
              Locale.ROOT,
              "%-16s %-8s %-10s %9d %8d %7.1f %,11.0f %,11.0f %,11.0f %,11.0f%n",
              policy,
              topology ? "on" : "off",
              viaScheduler ? "Scheduler" : "Placer",
              first.decisions(),
              first.placed(),
              first.allocatedPercent(),
              rates[rates.length - 1],
              rates[rates.length / 2],
              rates[0],
              cpuRates[cpuRates.length / 2]);
        }
      }
    }

    out.printf(
        Locale.ROOT,
        "%nGang of %d pods x %d GPUs (%,d GPUs): GangPlacer.decide on one state, %d warm-up and %d"
            + " measured decisions%n",
        gangMembers,
        gangGpus,
        gangMembers * gangGpus,
        Math.max(5, gangTrials / 5),
        gangTrials);
    out.printf(
        Locale.ROOT,
        "%-16s %-8s %-20s %8s %8s %8s %8s %8s  %s%n",
        "policy",
        "topology",
        "cluster",
        "p50 ms",
        "p99 ms",
        "max ms",
        "CPU p50",
        "CPU p99",
        "outcome");
    for (String policy : policies) {
      for (boolean topology : new boolean[] {false, true}) {
        List<NodeSpec> nodes = cluster(topology);
        for (int percent : new int[] {0, gangFillPercent}) {
          ClusterState cluster = new ClusterState(nodes);
          Placer placer = placer(policy, pods);
          if (percent > 0) {
            fill(cluster, placer, pods, percent);
          }
          gangTimes(cluster, placer, Math.max(5, gangTrials / 5));
          GangTimes times = gangTimes(cluster, placer, gangTrials);
          out.printf(
              Locale.ROOT,
              "%-16s %-8s %-20s %8.2f %8.2f %8.2f %8.2f %8.2f  %s%n",
              policy,
              topology ? "on" : "off",
              percent == 0 ? "empty" : percent + " % GPUs in use",
              times.percentileMillis(0.5),
              times.percentileMillis(0.99),
              times.percentileMillis(1.0),
              times.cpuPercentileMillis(0.5),
              times.cpuPercentileMillis(0.99),
              outcome(times.last(), nodes));
        }
      }
    }
    return 0;
  }

  private static String outcome(GangDecision decision, List<NodeSpec> nodes) {
    if (!(decision instanceof GangPlacement placed)) {
      return "does not fit";
    }
    Set<String> switches = new HashSet<>();
    Set<String> racks = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    for (Placement p : placed.placements()) {
      NodeSpec node = nodes.get(p.nodeIndex());
      hosts.add(node.name());
      if (node.roceSwitch() != null) {
        switches.add(node.roceSwitch());
        racks.add(node.rack());
      }
    }
    return switches.isEmpty()
        ? "placed on " + hosts.size() + " nodes"
        : "placed on "
            + hosts.size()
            + " nodes, "
            + switches.size()
            + " switch(es), "
            + racks.size()
            + " racks";
  }
}
