package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.List;

/**
 * Strata's policy: FGD for pods that use GPUs, and CPU balance for pods that do not.
 *
 * <p>FGD scores a CPU-only pod by the fragmentation it causes, which is almost always none, so such
 * pods land on effectively random nodes and eat the CPU that GPU nodes need to hand out their GPUs;
 * on the Alibaba trace a third of the GPU milli left idle at full arrival sits on nodes with under
 * four free cores. Here a CPU-only pod goes to a node whose CPU stays sufficient for its free GPUs,
 * reckoning the CPU a free GPU needs as the average CPU per GPU of past GPU pods. Nodes that keep
 * enough CPU all score alike (the tie-break spreads pods over them); otherwise the smallest
 * shortfall wins.
 *
 * <p>Only the history of past pods is used: their shape distribution (for FGD) and their CPU per
 * GPU.
 */
public final class CpuBalancedFgd implements ScoringPolicy {

  private final Fgd fgd;
  private final double cpuMilliPerGpuMilli;

  public CpuBalancedFgd(TypicalPods typicalPods, double cpuMilliPerGpuMilli) {
    this.fgd = new Fgd(typicalPods);
    this.cpuMilliPerGpuMilli = cpuMilliPerGpuMilli;
  }

  public static CpuBalancedFgd fromHistory(List<PodRequest> pastPods) {
    return new CpuBalancedFgd(TypicalPods.of(pastPods), cpuPerGpu(pastPods));
  }

  /** CPU milli that past GPU pods asked for per GPU milli; 0 without GPU pods. */
  static double cpuPerGpu(List<PodRequest> pastPods) {
    double cpu = 0;
    double gpu = 0;
    for (PodRequest pod : pastPods) {
      if (pod.needsGpu()) {
        cpu += pod.cpuMilli();
        gpu += pod.totalGpuMilli();
      }
    }
    return gpu == 0 ? 0 : cpu / gpu;
  }

  @Override
  public String name() {
    return "Strata";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    if (pod.needsGpu()) {
      return fgd.score(pod, node);
    }
    double cpuLeftForGpus =
        node.cpuFree() - pod.cpuMilli() - node.totalGpuFree() * cpuMilliPerGpuMilli;
    return Math.round(Math.min(cpuLeftForGpus, 0));
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    return fgd.shareGpu(pod, node);
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
