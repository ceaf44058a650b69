package dev.strata.virtualnode.forward;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the compute cluster answers, and since when it does not: the forwarder's outage grace
 * time counts from then.
 */
public final class ComputeReachability {
  private final Clock clock;
  private volatile boolean reachable = true;
  private volatile Instant unreachableSince;

  ComputeReachability(Clock clock) {
    this.clock = clock;
  }

  public boolean reachable() {
    return reachable;
  }

  /** How long the compute cluster has been unreachable; zero while it is reachable. */
  public Duration unreachableFor() {
    Instant since = unreachableSince;
    return reachable || since == null ? Duration.ZERO : Duration.between(since, clock.instant());
  }

  /** Records an observation; returns true when it changed the state. */
  synchronized boolean report(boolean ok) {
    if (ok == reachable) {
      return false;
    }
    reachable = ok;
    unreachableSince = ok ? null : clock.instant();
    return true;
  }
}
