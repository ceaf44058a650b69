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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the virtual node alive in the tenant cluster: registers the Node, renews its Lease, probes
 * the compute cluster and writes the node status (Ready only while the compute cluster answers;
 * capacity from the tenant's share of it). Listeners hear when reachability changes.
 */
public final class NodeController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

  private final KubernetesClient tenant;
  private final NodeOptions options;
  private final ComputeProbe probe;
  private final Clock clock;
  private final String bootId = UUID.randomUUID().toString();
  private final List<Consumer<Boolean>> reachabilityListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "virtual-node");
            t.setDaemon(true);
            return t;
          });

  private volatile Instant lastAnswer;
  private volatile ComputeObservation lastFailure;
  // Zeros until the compute cluster first answers: a node never offers what it has not seen.
  private volatile Map<String, Quantity> capacity =
      CapacityCalculator.capacity(List.of(), List.of(), null, Map.of());
  private volatile boolean reachable;
  private volatile Instant lastStatusWrite;

  public NodeController(
      KubernetesClient tenant, KubernetesClient compute, NodeOptions options, Clock clock) {
    this.tenant = tenant;
    this.options = options;
    this.clock = clock;
    this.probe = new ComputeProbe(compute, options, clock);
  }

  /**
   * Probes once, registers the Node with its status and Lease, then keeps them up on timers. Fails
   * only when the tenant cluster refuses the registration.
   */
  public NodeController start() {
    observe(probe.probe());
    register();
    syncStatus(true);
    renewLease();
    recordEvent(
        "Starting",
        "Normal",
        "Starting strata-virtual-node for compute cluster " + options.computeClusterName());
    timers.scheduleWithFixedDelay(
        guarded("lease", this::renewLease),
        millis(options.leaseRenewInterval()),
        millis(options.leaseRenewInterval()),
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(
        guarded("probe", this::probeAndSync),
        millis(options.probeInterval()),
        millis(options.probeInterval()),
        TimeUnit.MILLISECONDS);
    LOG.info(
        "virtual node {} registered for tenant {} on compute cluster {}",
        options.nodeName(),
        options.tenant(),
        options.computeClusterName());
    return this;
  }

  /** Called with true when the compute cluster starts answering again, false when it stops. */
  public void addReachabilityListener(Consumer<Boolean> listener) {
    reachabilityListeners.add(listener);
  }

  public boolean computeReachable() {
    return reachable;
  }

  public NodeHealth health() {
    Instant now = clock.instant();
    if (lastAnswer != null
        && Duration.between(lastAnswer, now).compareTo(options.unreachableAfter()) <= 0) {
      return NodeHealth.ready(options.computeClusterName());
    }
    ComputeObservation failure = lastFailure;
    if (failure == null) {
      return NodeHealth.notReady(NodeHealth.NOT_PROBED, "compute cluster not probed yet");
    }
    return NodeHealth.notReady(failure.failureReason(), failure.failureMessage());
  }

  private void probeAndSync() {
    boolean before = reachable;
    observe(probe.probe());
    syncStatus(false);
    if (before != reachable) {
      recordEvent(
          reachable ? "NodeReady" : "NodeNotReady",
          reachable ? "Normal" : "Warning",
          "Node "
              + options.nodeName()
              + " status is now: "
              + (reachable ? "NodeReady" : "NodeNotReady")
              + " ("
              + health().message()
              + ")");
    }
  }

  /** An Event on the Node, as a kubelet records them, so that kubectl describe node tells why. */
  private void recordEvent(String reason, String type, String message) {
    try {
      Node node = tenant.nodes().withName(options.nodeName()).get();
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
      lastAnswer = observation.at();
      capacity = observation.capacity();
    } else {
      lastFailure = observation;
      LOG.debug("probe failed: {}", observation.failureMessage());
    }
    boolean nowReachable = health().ready();
    if (nowReachable != reachable) {
      reachable = nowReachable;
      LOG.info(
          "compute cluster {} is {}",
          options.computeClusterName(),
          nowReachable ? "reachable" : "unreachable: " + health().message());
      for (Consumer<Boolean> listener : reachabilityListeners) {
        try {
          listener.accept(nowReachable);
        } catch (RuntimeException e) {
          LOG.warn("reachability listener failed", e);
        }
      }
    }
  }

  private void register() {
    Node existing = tenant.nodes().withName(options.nodeName()).get();
    if (existing == null) {
      tenant.resource(NodeModel.registration(null, options)).create();
    } else if (NodeModel.registrationDiffers(existing, options)) {
      tenant.resource(NodeModel.registration(existing, options)).update();
    }
  }

  /**
   * Writes the status when it changed, or when the last write is older than the report interval.
   */
  private void syncStatus(boolean force) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Node node = tenant.nodes().withName(options.nodeName()).get();
      if (node == null) {
        // Deleted under us: register again, as a kubelet does.
        register();
        continue;
      }
      if (NodeModel.registrationDiffers(node, options)) {
        register();
        continue;
      }
      NodeHealth health = health();
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
        return;
      }
      node.setStatus(unchangedHeartbeat);
      try {
        tenant.resource(node).updateStatus();
        lastStatusWrite = now;
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private void renewLease() {
    for (int attempt = 0; attempt < 2; attempt++) {
      Lease existing =
          tenant.leases().inNamespace(NodeKeys.LEASE_NAMESPACE).withName(options.nodeName()).get();
      Node owner = tenant.nodes().withName(options.nodeName()).get();
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
