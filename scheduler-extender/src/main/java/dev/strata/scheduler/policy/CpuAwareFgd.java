package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.List;

/**
 * FGD with a fragmentation measure that knows CPU runs out: free GPU milli counts as fragment for a
 * typical pod not only when no copy of it fits, but also when the node's free CPU admits fewer
 * copies than its free GPUs would. FGD proper sees a node with eight free GPUs and twenty free
 * cores as unfragmented for eleven-core one-GPU pods, though six of those GPUs can never be used.
 *
 * <p>The CPU-aware view is applied per pod class where it measured a gain on the Alibaba traces
 * (docs/benchmarks.md): CPU-only and multi-GPU pods are placed by it; one-GPU pods by FGD, the
 * CPU-aware view only ordering the nodes FGD scores alike (ranking one-GPU pods by it outright
 * spreads them over the nodes that multi-GPU pods need whole, 0.3 points below FGD on {@code
 * multigpu30} and {@code gpuspec20}); GPU shares by FGD proper (the CPU-aware view packs them
 * worse). Strata's default policy, {@link Policies#DEFAULT}.
 */
public final class CpuAwareFgd implements ScoringPolicy {

  private final Fgd fgd;
  private final Fgd cpuAware;

  public CpuAwareFgd(TypicalPods typicalPods) {
    this.fgd = new Fgd(typicalPods);
    this.cpuAware = new Fgd(typicalPods, true);
  }

  public static CpuAwareFgd fromHistory(List<PodRequest> pastPods) {
    return new CpuAwareFgd(TypicalPods.of(pastPods));
  }

  @Override
  public String name() {
    return "StrataCpuAware";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    if (pod.isGpuShare()) {
      return fgd.score(pod, node);
    }
    if (pod.needsGpu() && pod.gpuCount() == 1) {
      // Both scores lie in 0..100: FGD's decides, the CPU-aware one only breaks its ties.
      return fgd.score(pod, node) * 1000 + cpuAware.score(pod, node);
    }
    return cpuAware.score(pod, node);
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
