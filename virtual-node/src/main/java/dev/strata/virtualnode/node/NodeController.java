package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the virtual node alive in the tenant cluster: registers the Node, renews its Lease, probes
 * the compute cluster and writes the node status (capacity from the tenant's share of the compute
 * cluster). The probe reports into the node's {@link ComputeReachability}, the one reading that the
 * Ready condition and pod forwarding share.
 */
public final class NodeController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

  private final KubernetesClient tenant;
  private final NodeOptions options;
  private final ComputeProbe probe;
  private final ComputeReachability reachability;
  private final Clock clock;
  private final String bootId = UUID.randomUUID().toString();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "virtual-node");
            t.setDaemon(true);
            return t;
          });

  // Zeros until the compute cluster first answers: a node never offers what it has not seen.
  private volatile Map<String, Quantity> capacity =
      CapacityCalculator.capacity(List.of(), List.of(), null, Map.of());
  // Probes run one at a time: the timer's, and the extra one a forwarding failure asks for.
  private final ReentrantLock probing = new ReentrantLock();
  private volatile boolean ready;
  private volatile Instant lastStatusWrite;

  public NodeController(
      KubernetesClient tenant, KubernetesClient compute, NodeOptions options, Clock clock) {
    this.tenant = tenant;
    this.options = options;
    this.clock = clock;
    this.probe = new ComputeProbe(compute, options, clock);
    this.reachability =
        new ComputeReachability(options.computeClusterName(), options.unreachableAfter(), clock);
  }

  /**
   * Probes once, registers the Node with its status and Lease, then keeps them up on timers. Fails
   * only when the tenant cluster refuses the registration.
   */
  public NodeController start() {
    observe(probe.probe());
    NodeHealth health = health();
    ready = health.ready();
    Node node = syncStatus(true, tenant.nodes().withName(options.nodeName()).get(), health);
    renewLease(node);
    recordEvent(
        "Starting",
        "Normal",
        "Starting strata-virtual-node for compute cluster " + options.computeClusterName(),
        node);
    timers.scheduleWithFixedDelay(
        guarded("lease", () -> renewLease(tenant.nodes().withName(options.nodeName()).get())),
        millis(options.leaseRenewInterval()),
        millis(options.leaseRenewInterval()),
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(
        guarded("probe", this::probeAndSync),
        millis(options.probeInterval()),
        millis(options.probeInterval()),
        TimeUnit.MILLISECONDS);
    // A forwarding request that got no answer: probe now rather than at the next tick, so that
    // forwarding resumes at once when the cluster does answer.
    reachability.onSuspectedOutage(
        () -> {
          try {
            timers.execute(guarded("probe", this::probeUnlessProbing));
          } catch (RejectedExecutionException e) {
            // closed: nothing left to probe for
          }
        });
    LOG.info(
        "virtual node {} registered for tenant {} on compute cluster {}",
        options.nodeName(),
        options.tenant(),
        options.computeClusterName());
    return this;
  }

  /** Whether, and since when not, the compute cluster answers: what pod forwarding reads too. */
  public ComputeReachability reachability() {
    return reachability;
  }

  public NodeHealth health() {
    return reachability.health();
  }

  private void probeAndSync() {
    probing.lock();
    try {
      probeAndSyncLocked();
    } finally {
      probing.unlock();
    }
  }

  /** The extra probe a forwarding failure asks for; none when one is already under way. */
  private void probeUnlessProbing() {
    if (probing.tryLock()) {
      try {
        probeAndSyncLocked();
      } finally {
        probing.unlock();
      }
    }
  }

  private void probeAndSyncLocked() {
    observe(probe.probe());
    NodeHealth health = health();
    Node node = syncStatus(false, tenant.nodes().withName(options.nodeName()).get(), health);
    if (health.ready() != ready) {
      ready = health.ready();
      recordEvent(
          ready ? "NodeReady" : "NodeNotReady",
          ready ? "Normal" : "Warning",
          "Node "
              + options.nodeName()
              + " status is now: "
              + (ready ? "NodeReady" : "NodeNotReady")
              + " ("
              + health.message()
              + ")",
          node);
    }
  }

  /** An Event on the Node, as a kubelet records them, so that kubectl describe node tells why. */
  private void recordEvent(String reason, String type, String message, Node node) {
    try {
      Instant now = clock.instant();
      tenant
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new io.fabric8.kubernetes.api.model.EventBuilder()
                  .withNewMetadata()
                  .withNamespace("default")
                  .withName(
                      options.nodeName()
                          + "."
                          + Long.toHexString(now.toEpochMilli())
                          + "."
                          + reason.toLowerCase(java.util.Locale.ROOT))
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(options.nodeName())
                  .withUid(node == null ? null : node.getMetadata().getUid())
                  .endInvolvedObject()
                  .withReason(reason)
                  .withType(type)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent("strata-virtual-node")
                  .withHost(options.nodeName())
                  .endSource()
                  .withFirstTimestamp(NodeModel.time(now))
                  .withLastTimestamp(NodeModel.time(now))
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: never let it stop the status from being written.
      LOG.debug("could not record {}: {}", reason, e.getMessage());
    }
  }

  private void observe(ComputeObservation observation) {
    if (observation.succeeded()) {
      capacity = observation.capacity();
    } else {
      LOG.debug("probe failed: {}", observation.failureMessage());
    }
    boolean before = reachability.reachable();
    reachability.observe(observation);
    if (before != reachability.reachable()) {
      LOG.info(
          "compute cluster {} is {}",
          options.computeClusterName(),
          observation.succeeded() ? "reachable" : "unreachable: " + observation.failureMessage());
    }
  }

  /** Registers the Node, or puts back our labels and taint; returns the Node as written. */
  private Node register(Node existing) {
    if (existing == null) {
      return tenant.resource(NodeModel.registration(null, options)).create();
    }
    return tenant.resource(NodeModel.registration(existing, options)).update();
  }

  /**
   * Writes the status when it changed, or when the last write is older than the report interval.
   * Starts from {@code node} as this tick read it (null when absent) and reads it again only after
   * a conflict; returns the Node as last read or written.
   */
  private Node syncStatus(boolean force, Node node, NodeHealth health) {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (node == null || NodeModel.registrationDiffers(node, options)) {
        // Deleted under us, or our labels or taint removed: register again, as a kubelet does.
        node = register(node);
      }
      NodeStatus previous = node.getStatus();
      Instant now = clock.instant();
      NodeStatus unchangedHeartbeat =
          NodeModel.status(previous, options, health, capacity, now, bootId);
      boolean due =
          force
              || lastStatusWrite == null
              || Duration.between(lastStatusWrite, now).compareTo(options.statusReportInterval())
                  >= 0;
      if (!due && NodeModel.sameApartFromHeartbeat(previous, unchangedHeartbeat)) {
        return node;
      }
      node.setStatus(unchangedHeartbeat);
      try {
        Node written = tenant.resource(node).updateStatus();
        lastStatusWrite = now;
        return written;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        node = tenant.nodes().withName(options.nodeName()).get();
      }
    }
    return node;
  }

  /** Renews the Lease, owned by {@code owner}, the Node as this tick read it. */
  private void renewLease(Node owner) {
    for (int attempt = 0; attempt < 2; attempt++) {
      Lease existing =
          tenant.leases().inNamespace(NodeKeys.LEASE_NAMESPACE).withName(options.nodeName()).get();
      Lease lease = LeaseModel.renewed(existing, owner, options, clock.instant());
      try {
        if (existing == null) {
          tenant.resource(lease).create();
        } else {
          tenant.resource(lease).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A timer that throws stops for good; log and try again on the next tick.
        LOG.warn("{} failed: {}", what, e.getMessage());
      }
    };
  }

  private static long millis(Duration d) {
    return Math.max(1, d.toMillis());
  }

  @Override
  public void close() {
    timers.shutdownNow();
    probe.close();
  }
}
