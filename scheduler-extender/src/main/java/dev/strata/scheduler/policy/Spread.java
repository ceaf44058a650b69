package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;

/**
 * The opposite of binpacking: prefers the node left with the largest share of its own GPUs, CPU and
 * memory free after placing the pod, as kube-scheduler's LeastAllocated strategy does. It keeps
 * load and heat even across nodes and leaves the most head-room per node for pods that grow, at the
 * cost of fragmenting GPUs: large jobs find fewer whole nodes than under {@link BestFit} or FGD.
 *
 * <p>A GPU share goes to the GPU with the most free milli, for the same reason.
 */
public final class Spread implements ScoringPolicy {

  static final long MAX_SCORE = 1_000_000;

  @Override
  public String name() {
    return "Spread";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    NodeSpec spec = node.spec();
    double free = 0;
    int parts = 0;
    if (spec.gpuCount() > 0) {
      free +=
          (double) (node.totalGpuFree() - pod.totalGpuMilli())
              / ((long) spec.gpuCount() * NodeSpec.GPU_MILLI);
      parts++;
    }
    if (spec.cpuMilli() > 0) {
      free += (double) (node.cpuFree() - pod.cpuMilli()) / spec.cpuMilli();
      parts++;
    }
    if (spec.memoryMib() > 0) {
      free += (double) (node.memoryFree() - pod.memoryMib()) / spec.memoryMib();
      parts++;
    }
    return parts == 0 ? 0 : (long) (free / parts * MAX_SCORE);
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    int best = -1;
    for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
      int free = node.gpuFree(gpu);
      if (free >= pod.gpuMilli() && (best < 0 || free > node.gpuFree(best))) {
        best = gpu;
      }
    }
    return best;
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
