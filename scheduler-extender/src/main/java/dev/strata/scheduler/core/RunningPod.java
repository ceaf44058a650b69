package dev.strata.scheduler.core;

import java.util.Objects;

/**
 * A pod that holds resources now, as the scheduler's snapshot sees it: where it runs, whose it is,
 * which gang it belongs to and how long it has run. Running time is given rather than read from a
 * clock so that decisions stay pure and repeatable.
 *
 * @param gang the gang's name; preemption evicts every pod of a gang together
 */
public record RunningPod(
    String gang, String tenant, Tier tier, Placement placement, long runningSeconds) {

  public RunningPod {
    Objects.requireNonNull(gang, "gang");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(placement, "placement");
    if (runningSeconds < 0) {
      throw new IllegalArgumentException("negative running time for " + placement);
    }
  }

  public long gpuMilli() {
    return placement.pod().totalGpuMilli();
  }
}
