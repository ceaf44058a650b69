package dev.strata.scheduler.core;

/** How GPUs on a chosen node are picked for a pod. */
public final class GpuChoice {

  private GpuChoice() {}

  /** The GPU with the least free milli that still holds the pod's share, lowest index on ties. */
  public static int tightestFit(PodRequest pod, NodeState node) {
    int best = -1;
    for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
      int free = node.gpuFree(gpu);
      if (free >= pod.gpuMilli() && (best < 0 || free < node.gpuFree(best))) {
        best = gpu;
      }
    }
    return best;
  }

  /** The pod's whole GPUs: the fully free ones with the lowest indices. */
  public static int[] lowestFreeWhole(PodRequest pod, NodeState node) {
    int[] gpus = new int[pod.gpuCount()];
    int taken = 0;
    for (int gpu = 0; gpu < node.gpuCount() && taken < gpus.length; gpu++) {
      if (node.gpuFree(gpu) == NodeSpec.GPU_MILLI) {
        gpus[taken++] = gpu;
      }
    }
    if (taken < gpus.length) {
      throw new IllegalStateException(pod.name() + " does not fit " + node);
    }
    return gpus;
  }
}
