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
 * <p>Experimental: far ahead of FGD where CPU is scarce (the {@code cpu200}/{@code cpu250} traces)
 * but behind it on {@code multigpu30} and {@code gpushare100}; see docs/benchmarks.md.
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
    return pod.isGpuShare() ? fgd.score(pod, node) : cpuAware.score(pod, node);
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
