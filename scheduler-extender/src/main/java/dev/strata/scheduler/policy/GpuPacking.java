package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.Arrays;

/**
 * Packs GPU pods onto GPUs and nodes already in use, in three tiers: first nodes where the pod fits
 * on partly used GPUs (the fuller those GPUs, the better), then used nodes where it needs fully
 * free GPUs (the fewer, the better), last untouched nodes (the smaller, the better). CPU-only pods
 * score alike everywhere and go by the tie-break.
 */
public final class GpuPacking implements ScoringPolicy {

  private static final long MAX = 100;

  @Override
  public String name() {
    return "GpuPacking";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    if (!pod.needsGpu()) {
      return 0;
    }
    int gpus = node.gpuCount();
    int fullyFree = node.fullyFreeGpus();
    if (fullyFree == gpus) {
      return Math.max(MAX / 3 - fullyFree, fullyFree);
    }
    int[] free = new int[gpus];
    node.copyGpuFree(free);
    Arrays.sort(free);
    int wanted = pod.gpuCount();
    int fullyFreeUsed = 0;
    long freePercentOnUsed = 0;
    for (int i = 0; i < gpus && wanted > 0; i++) {
      if (pod.gpuMilli() <= free[i]) {
        wanted--;
        if (free[i] == NodeSpec.GPU_MILLI) {
          fullyFreeUsed++;
        }
        freePercentOnUsed += free[i] * 100L / NodeSpec.GPU_MILLI;
      }
    }
    if (wanted > 0) {
      return 0;
    }
    if (fullyFreeUsed > 0) {
      return Math.max(MAX / 2 - fullyFreeUsed, MAX / 3);
    }
    return Math.max(MAX - freePercentOnUsed / 10, MAX / 2);
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
