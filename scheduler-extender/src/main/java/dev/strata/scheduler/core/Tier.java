package dev.strata.scheduler.core;

/**
 * How firmly work holds its GPUs. HIGH work is guaranteed up to its tenant's quota and is never
 * preempted; LOW work runs on whatever is idle, beyond any quota, and gives way to HIGH work.
 */
public enum Tier {
  /** Guaranteed within the tenant's quota; never preempted. */
  HIGH,
  /** Elastic: borrows idle capacity beyond quota and may be preempted by a higher tier. */
  LOW;

  /** True when work of this tier may take resources from running work of {@code other}. */
  public boolean mayPreempt(Tier other) {
    // Strictly higher only: equal tiers never preempt each other, so no two tenants can evict
    // each other's guaranteed work in turn.
    return ordinal() < other.ordinal();
  }
}
