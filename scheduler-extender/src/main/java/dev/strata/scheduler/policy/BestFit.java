package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;

/**
 * Prefers the node the pod leaves emptiest-handed: the score falls with the CPU and GPU left over
 * after placing the pod, each measured against the largest node spec (128 cores, 8 GPUs) and
 * weighted equally, then rescaled to 0..100 over the feasible nodes of the decision.
 *
 * <p>Integer truncation and the min-max rescaling follow the FGD paper's artifact so that results
 * are comparable with its published baseline; they make many nodes tie, which the tie-break then
 * settles.
 */
public final class BestFit implements ScoringPolicy {

  static final double MAX_CPU_MILLI = 128_000;
  static final double MAX_GPU_MILLI = 8_000;
  static final long MAX_SCORE = 100;

  @Override
  public String name() {
    return "BestFit";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    double leftover = 0;
    leftover += (double) (node.cpuFree() - pod.cpuMilli()) / MAX_CPU_MILLI * 0.5;
    leftover += (double) (node.totalGpuFree() - pod.totalGpuMilli()) / MAX_GPU_MILLI * 0.5;
    return (long) ((1.0 - leftover) * MAX_SCORE);
  }

  @Override
  public void normalize(long[] scores, int count) {
    long highest = Long.MIN_VALUE;
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      highest = Math.max(highest, scores[i]);
      lowest = Math.min(lowest, scores[i]);
    }
    long range = highest - lowest;
    for (int i = 0; i < count; i++) {
      scores[i] = range == 0 ? 0 : (scores[i] - lowest) * MAX_SCORE / range;
    }
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
