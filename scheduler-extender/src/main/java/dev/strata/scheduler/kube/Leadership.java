package dev.strata.scheduler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of several leads, through a {@code coordination.k8s.io/v1} Lease as kube-scheduler's
 * leader election does: {@code onStart} runs when this replica becomes the leader, {@code onStop}
 * when it stops being one (its renewals failed for the renew deadline, or it was closed). A replica
 * that lost the lead must not go on scheduling: its caches may be behind what the new leader did.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** How long a Lease holds, how long a leader tries to renew it, how often replicas try. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public Timing {
      if (!(leaseDuration.compareTo(renewDeadline) > 0
          && renewDeadline.compareTo(retryPeriod) > 0
          && !retryPeriod.isNegative()
          && !retryPeriod.isZero())) {
        throw new IllegalArgumentException(
            "leader election needs lease duration > renew deadline > retry period > 0, not "
                + leaseDuration
                + " / "
                + renewDeadline
                + " / "
                + retryPeriod);
      }
    }
  }

  private final AtomicBoolean leading;
  private final CompletableFuture<?> running;
  private final ExecutorService callbacks;

  private Leadership(
      AtomicBoolean leading, CompletableFuture<?> running, ExecutorService callbacks) {
    this.leading = leading;
    this.running = running;
    this.callbacks = callbacks;
  }

  /** Starts competing for the Lease {@code namespace/name}; returns at once. */
  public static Leadership start(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Timing timing,
      Runnable onStart,
      Runnable onStop) {
    AtomicBoolean leading = new AtomicBoolean();
    // The elector calls back on the client's own threads; starting informers there (which waits for
    // their first lists) would block the threads that deliver them.
    ExecutorService serial =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "strata-leadership");
              t.setDaemon(true);
              return t;
            });
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              LOG.info("{} leads through Lease {}/{}", identity, namespace, name);
              leading.set(true);
              serial.execute(onStart);
            },
            () -> {
              if (leading.getAndSet(false)) {
                LOG.warn("{} no longer leads through Lease {}/{}", identity, namespace, name);
                serial.execute(onStop);
              }
            },
            leader -> LOG.info("Lease {}/{} is held by {}", namespace, name, leader));
    CompletableFuture<?> running =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(name)
                    .withLock(new LeaseLock(namespace, name, identity))
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(callbacks)
                    .build())
            .build()
            .start();
    return new Leadership(leading, running, serial);
  }

  public boolean isLeader() {
    return leading.get();
  }

  /** This host's name and a random suffix, as kube-scheduler's identity is. */
  public static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "strata";
    }
    return host + "_" + UUID.randomUUID();
  }

  /** Stops competing and gives the Lease up if held, so another replica takes over at once. */
  @Override
  public void close() {
    running.cancel(true);
    callbacks.shutdown();
  }
}
