package dev.strata.scheduler.core;

/**
 * Whether a pod fits a node as it is now. A node fits when CPU and memory suffice, its GPU model is
 * one the pod allows, and its GPUs can host the request: a one-GPU pod needs one GPU with enough
 * free milli, a multi-GPU pod needs that many fully free GPUs (whole GPUs are never split across
 * pods that ask for more than one).
 *
 * <p>The answer is a bit set of {@link Shortfall}s so that explanations can count every reason a
 * node was turned down, not only the first.
 */
public final class Feasibility {

  private Feasibility() {}

  /** Why a node cannot take a pod. */
  public enum Shortfall {
    CPU,
    MEMORY,
    GPU_MODEL,
    GPU_COUNT,
    GPU_SHARE;

    final int bit = 1 << ordinal();
  }

  public static boolean fits(PodRequest pod, NodeState node) {
    return reasons(pod, node) == 0;
  }

  /** Bit set of {@link Shortfall#bit}s; 0 when the pod fits. */
  public static int reasons(PodRequest pod, NodeState node) {
    int reasons = 0;
    if (node.cpuFree() < pod.cpuMilli()) {
      reasons |= Shortfall.CPU.bit;
    }
    if (node.memoryFree() < pod.memoryMib()) {
      reasons |= Shortfall.MEMORY.bit;
    }
    if (pod.needsGpu()) {
      if (node.gpuCount() == 0 || !pod.acceptsModel(node.spec().gpuModel())) {
        reasons |= Shortfall.GPU_MODEL.bit;
      } else if (pod.gpuCount() == 1) {
        if (node.maxGpuFree() < pod.gpuMilli()) {
          reasons |= (pod.isGpuShare() ? Shortfall.GPU_SHARE : Shortfall.GPU_COUNT).bit;
        }
      } else if (node.fullyFreeGpus() < pod.gpuCount()) {
        reasons |= Shortfall.GPU_COUNT.bit;
      }
    }
    return reasons;
  }

  static boolean has(int reasons, Shortfall shortfall) {
    return (reasons & shortfall.bit) != 0;
  }
}
