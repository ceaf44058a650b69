package dev.strata.scheduler.core;

import java.util.Arrays;

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

  /**
   * The pod's whole GPUs. On a node without NVLink groups, {@link #lowestFreeWhole}. With them, the
   * GPUs come from one group if any group has enough fully free GPUs: the group with the fewest
   * that suffice (a GPU outside every group counts as a group of one), so a one-GPU pod takes a
   * lone or a half-used group's GPU and leaves whole groups to multi-GPU pods. If no group
   * suffices, the pod spans as few groups as it can, taking those with the most free GPUs first.
   * Lowest indices win ties, and within a group the lowest free indices are taken.
   */
  public static int[] whole(PodRequest pod, NodeState node) {
    NvLinkGroups groups = node.spec().nvLinkGroups();
    if (groups.isEmpty()) {
      return lowestFreeWhole(pod, node);
    }
    int gpuCount = node.gpuCount();
    // Every GPU's group: the annotated ones, then each GPU outside them on its own.
    int[] groupOf = new int[gpuCount];
    Arrays.fill(groupOf, -1);
    for (int g = 0; g < groups.size(); g++) {
      for (int gpu : groups.groupNoCopy(g)) {
        groupOf[gpu] = g;
      }
    }
    int groupCount = groups.size();
    for (int gpu = 0; gpu < gpuCount; gpu++) {
      if (groupOf[gpu] < 0) {
        groupOf[gpu] = groupCount++;
      }
    }
    int[] free = new int[groupCount];
    int[] lowest = new int[groupCount];
    Arrays.fill(lowest, Integer.MAX_VALUE);
    for (int gpu = 0; gpu < gpuCount; gpu++) {
      lowest[groupOf[gpu]] = Math.min(lowest[groupOf[gpu]], gpu);
      if (node.gpuFree(gpu) == NodeSpec.GPU_MILLI) {
        free[groupOf[gpu]]++;
      }
    }
    int need = pod.gpuCount();
    int best = -1;
    for (int g = 0; g < groupCount; g++) {
      if (free[g] >= need
          && (best < 0
              || free[g] < free[best]
              || free[g] == free[best] && lowest[g] < lowest[best])) {
        best = g;
      }
    }
    boolean[] take = new boolean[groupCount];
    if (best >= 0) {
      take[best] = true;
    } else {
      for (int got = 0; got < need; ) {
        int most = -1;
        for (int g = 0; g < groupCount; g++) {
          if (!take[g]
              && free[g] > 0
              && (most < 0
                  || free[g] > free[most]
                  || free[g] == free[most] && lowest[g] < lowest[most])) {
            most = g;
          }
        }
        if (most < 0) {
          throw new IllegalStateException(pod.name() + " does not fit " + node);
        }
        take[most] = true;
        got += free[most];
      }
    }
    int[] gpus = new int[need];
    int taken = 0;
    for (int gpu = 0; gpu < gpuCount && taken < need; gpu++) {
      if (take[groupOf[gpu]] && node.gpuFree(gpu) == NodeSpec.GPU_MILLI) {
        gpus[taken++] = gpu;
      }
    }
    return gpus;
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
