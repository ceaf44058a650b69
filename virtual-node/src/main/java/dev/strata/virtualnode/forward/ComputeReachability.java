package dev.strata.virtualnode.forward;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the compute cluster answers, and since when it does not. The node half reads it for the
 * Node's Ready condition through {@link PodForwarder#computeReachable()} or a listener.
 */
public final class ComputeReachability {
  /** Told when the compute cluster becomes reachable or unreachable. */
  @FunctionalInterface
  public interface Listener {
    void computeReachabilityChanged(boolean reachable);
  }

  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
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

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Records an observation; returns true when it changed the state. */
  synchronized boolean report(boolean ok) {
    if (ok == reachable) {
      return false;
    }
    reachable = ok;
    unreachableSince = ok ? null : clock.instant();
    listeners.forEach(l -> l.computeReachabilityChanged(ok));
    return true;
  }
}
