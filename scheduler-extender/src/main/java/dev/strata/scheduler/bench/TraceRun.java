package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Decision;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.policy.LearnsFromArrivals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays one seed's workload through the placement core: one pod at a time, never retried, never
 * leaving, recording arrived and allocated GPU milli after each.
 */
public final class TraceRun {

  private TraceRun() {}

  /** Nodes in name order, the order the tie-break ranks refer to. */
  public static List<NodeSpec> byName(List<NodeSpec> nodes) {
    List<NodeSpec> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(NodeSpec::name));
    return sorted;
  }

  public static AllocationCurve run(
      List<NodeSpec> nodesByName, Workload workload, ScoringPolicy policy) {
    return run(nodesByName, workload, policy, null);
  }

  /**
   * As {@link #run(List, Workload, ScoringPolicy)}; when {@code decisionNanos} is not null, its
   * i-th element receives the wall time of the i-th pod's placement decision (learning from the
   * arrival included, binding excluded).
   */
  public static AllocationCurve run(
      List<NodeSpec> nodesByName, Workload workload, ScoringPolicy policy, long[] decisionNanos) {
    ClusterState cluster = new ClusterState(nodesByName);
    Placer placer = new Placer(policy, TieBreak.ranks(workload.tieRanks()));
    AllocationCurve curve = new AllocationCurve(cluster.totalGpuMilli());
    long arrived = 0;
    int index = 0;
    for (PodRequest pod : workload.pods()) {
      arrived += pod.totalGpuMilli();
      long start = System.nanoTime();
      if (policy instanceof LearnsFromArrivals learner) {
        learner.arrived(pod);
      }
      Decision decision = placer.decide(pod, cluster);
      if (decisionNanos != null) {
        decisionNanos[index] = System.nanoTime() - start;
      }
      index++;
      if (decision instanceof Placement placement) {
        cluster.bind(placement);
      }
      curve.record(arrived, cluster.allocatedGpuMilli());
    }
    return curve;
  }
}
