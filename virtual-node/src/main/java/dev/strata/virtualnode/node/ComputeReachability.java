package dev.strata.virtualnode.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reading of whether the compute cluster answers, and since when it does not. The node
 * controller's probe reports into it; the Node's Ready condition and pod forwarding (which writes
 * to the compute cluster only while it answers, and fails forwarded pods once an outage outlasts
 * its grace) both read it, so they never disagree on whether or since when the cluster is away.
 *
 * <p>Two views of one state:
 *
 * <ul>
 *   <li>{@link #reachable()}: the latest word. A failed probe, or a forwarding request that got no
 *       answer at all, makes it false at once; only a successful probe makes it true again. The
 *       outage starts at that first failure ({@link #unreachableSince()}); forwarding pauses and
 *       counts its grace from there.
 *   <li>{@link #health()}: the Ready condition, debounced: False only when no probe has succeeded
 *       for {@code unreachableAfter}, so one lost probe does not flip it.
 * </ul>
 *
 * <p><b>Decision: a failed forwarding request does not flip Ready.</b> A virtual-kubelet's node
 * status follows its provider's periodic health check, never the outcome of one pod operation; a
 * Node that went NotReady on one dropped write would flap, and every flap has the tenant's node
 * lifecycle controller taint it and its scheduler turn pods away. Such a failure only pauses
 * forwarding, starts the outage clock, and asks for a probe at once ({@link #onSuspectedOutage}),
 * which either confirms the outage (Ready then follows the usual debounce, counted from the last
 * answer) or clears it.
 */
public final class ComputeReachability {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeReachability.class);

  private final String computeCluster;
  private final Duration unreachableAfter;
  private final Clock clock;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private volatile Runnable recheck = () -> {};

  private boolean reachable;
  private Instant unreachableSince;
  private Instant lastAnswer;
  private ComputeObservation lastFailure;

  /**
   * @param computeCluster the compute cluster's name, for the Ready condition's message
   * @param unreachableAfter without a successful probe for this long, the Node is NotReady
   */
  public ComputeReachability(String computeCluster, Duration unreachableAfter, Clock clock) {
    this.computeCluster = computeCluster;
    this.unreachableAfter = unreachableAfter;
    this.clock = clock;
  }

  /** Whether the compute cluster answered last; false before the first probe. */
  public synchronized boolean reachable() {
    return reachable;
  }

  /** When the current outage began (its first failure); null while the cluster answers. */
  public synchronized Instant unreachableSince() {
    return reachable ? null : unreachableSince;
  }

  /** How long the current outage has lasted; zero while the cluster answers or before a probe. */
  public synchronized Duration unreachableFor() {
    return reachable || unreachableSince == null
        ? Duration.ZERO
        : Duration.between(unreachableSince, clock.instant());
  }

  /** The Ready condition: ready while a probe succeeded within {@code unreachableAfter}. */
  public synchronized NodeHealth health() {
    Instant now = clock.instant();
    if (lastAnswer != null && Duration.between(lastAnswer, now).compareTo(unreachableAfter) <= 0) {
      return NodeHealth.ready(computeCluster);
    }
    if (lastFailure == null) {
      return NodeHealth.notReady(NodeHealth.NOT_PROBED, "compute cluster not probed yet");
    }
    String since = unreachableSince == null ? "" : " (no answer since " + unreachableSince + ")";
    return NodeHealth.notReady(lastFailure.failureReason(), lastFailure.failureMessage() + since);
  }

  /** Called with true when the compute cluster answers again, false when it stops. */
  public void addListener(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<Boolean> listener) {
    listeners.remove(listener);
  }

  /** What runs when a forwarding request suggests an outage the probe has not seen: a probe. */
  public void onSuspectedOutage(Runnable probeNow) {
    this.recheck = probeNow;
  }

  /** Records one probe's result. */
  public void observe(ComputeObservation observation) {
    boolean changed;
    synchronized (this) {
      if (observation.succeeded()) {
        lastAnswer = observation.at();
        if (!reachable && unreachableSince != null && observation.at().isBefore(unreachableSince)) {
          // A probe sent before a request found no answer: it cannot clear that newer outage.
          return;
        }
        changed = !reachable;
        reachable = true;
        unreachableSince = null;
      } else {
        lastFailure = observation;
        changed = startOutage(observation.at());
      }
    }
    if (changed) {
      notifyListeners(observation.succeeded());
    }
  }

  /**
   * A request made while forwarding got no answer (no HTTP status at all): the outage starts now,
   * unless one is already under way, and a probe is asked for at once. Ready is not touched.
   */
  public void requestFailed(String what) {
    boolean changed;
    synchronized (this) {
      changed = startOutage(clock.instant());
    }
    if (changed) {
      LOG.warn("compute cluster {} did not answer: {}", computeCluster, what);
      notifyListeners(false);
      recheck.run();
    }
  }

  private boolean startOutage(Instant at) {
    if (unreachableSince == null || reachable) {
      unreachableSince = at;
    }
    boolean changed = reachable;
    reachable = false;
    return changed;
  }

  private void notifyListeners(boolean nowReachable) {
    for (Consumer<Boolean> listener : listeners) {
      try {
        listener.accept(nowReachable);
      } catch (RuntimeException e) {
        LOG.warn("reachability listener failed", e);
      }
    }
  }
}
