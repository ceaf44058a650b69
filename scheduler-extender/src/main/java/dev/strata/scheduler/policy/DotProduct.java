package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;

/**
 * Tetris-style alignment: the dot product of the node's free (CPU, GPU) and the pod's requested
 * (CPU, GPU), both scaled by the largest node spec; a smaller product scores higher, steering pods
 * to nodes whose free resources they match most tightly.
 */
public final class DotProduct implements ScoringPolicy {

  @Override
  public String name() {
    return "DotProd";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    if (node.cpuFree() < pod.cpuMilli()) {
      return 0;
    }
    double cpu =
        (double) node.cpuFree() / BestFit.MAX_CPU_MILLI * (pod.cpuMilli() / BestFit.MAX_CPU_MILLI);
    double gpu =
        (double) node.totalGpuFree()
            / BestFit.MAX_GPU_MILLI
            * (pod.totalGpuMilli() / BestFit.MAX_GPU_MILLI);
    double product = 0;
    product += cpu;
    product += gpu;
    product /= 2;
    return (long) (BestFit.MAX_SCORE * (1 - product));
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
