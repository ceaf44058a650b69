package dev.strata.sandbox.sim;

import dev.strata.virtualnode.node.NodeKeys;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANDBOX STAND-IN for kube-scheduler in a tenant cluster, which the sandbox does not run. It binds
 * each pending, unbound pod that asks for the default scheduler to the first node it fits (in the
 * sandbox: the virtual node), checking what kube-scheduler's filters would for the platform's pods
 * (taints and tolerations, nodeSelector, required node affinity, unschedulable nodes, missing
 * PersistentVolumeClaims; see {@link NodeFit}). A pod that fits nowhere stays Pending with
 * PodScheduled=False, reason Unschedulable, and kube-scheduler's message, plus a FailedScheduling
 * Event. It does not look at resources, ports, pod affinity or topology spread: the virtual node
 * stands for a whole compute cluster, and the compute scheduler judges those there.
 *
 * <p>Pending pods are looked at again on every node change and every {@link #RETRY} (a claim may
 * appear). All work runs on one thread.
 */
public final class TenantBinderStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TenantBinderStandIn.class);
  public static final String DEFAULT_SCHEDULER = "default-scheduler";

  /** The virtual node's taint key, which the sandbox may treat as tolerated. */
  public static final String VIRTUAL_NODE_TAINT_KEY = NodeKeys.TAINT_KEY;

  static final Duration RETRY = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final String implicitToleration;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tenant-binder-stand-in");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Pod> pods;

  private TenantBinderStandIn(KubernetesClient client, boolean tolerateVirtualNode, Clock clock) {
    this.client = client;
    this.implicitToleration = tolerateVirtualNode ? VIRTUAL_NODE_TAINT_KEY : null;
    this.clock = clock;
  }

  /**
   * @param tolerateVirtualNode a sandbox setting: treat every pod as tolerating the virtual node's
   *     taint ({@value #VIRTUAL_NODE_TAINT_KEY}), so that job YAML without the toleration runs
   */
  public static TenantBinderStandIn start(KubernetesClient client, boolean tolerateVirtualNode) {
    TenantBinderStandIn binder =
        new TenantBinderStandIn(client, tolerateVirtualNode, Clock.systemUTC());
    binder.nodes = client.nodes().inform(binder.onAnyChange(b -> b.sweep()));
    binder.pods = client.pods().inAnyNamespace().inform(binder.onPodChange());
    binder.thread.scheduleWithFixedDelay(
        () -> binder.run(binder::sweep), RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    return binder;
  }

  private <T> ResourceEventHandler<T> onAnyChange(
      java.util.function.Consumer<TenantBinderStandIn> task) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        run(() -> task.accept(TenantBinderStandIn.this));
      }

      @Override
      public void onUpdate(T old, T obj) {
        run(() -> task.accept(TenantBinderStandIn.this));
      }

      @Override
      public void onDelete(T obj, boolean unknown) {}
    };
  }

  private ResourceEventHandler<Pod> onPodChange() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        run(() -> consider(pod));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        run(() -> consider(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}
    };
  }

  private void run(Runnable task) {
    thread.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("tenant binder stand-in: {}", e.getMessage(), e);
          }
        });
  }

  // ---- on the binder thread ------------------------------------------------------------------

  private void sweep() {
    if (pods == null || nodes == null) {
      return;
    }
    new ArrayList<>(pods.getStore().list()).forEach(this::consider);
  }

  static boolean waitsForUs(Pod pod) {
    String scheduler = pod.getSpec().getSchedulerName();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return (scheduler == null || scheduler.isEmpty() || DEFAULT_SCHEDULER.equals(scheduler))
        && (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty())
        && pod.getMetadata().getDeletionTimestamp() == null
        && (phase == null || "Pending".equals(phase));
  }

  private void consider(Pod pod) {
    if (!waitsForUs(pod) || nodes == null) {
      return;
    }
    BindingDecision decision =
        BindingDecision.decide(
            pod,
            nodes.getStore().list(),
            PodWarnings.missingClaim(client, pod),
            implicitToleration);
    if (decision.bound()) {
      if (PodBinding.bind(client, pod, decision.node()) != null) {
        log.debug("bound {}/{} to {}", namespace(pod), name(pod), decision.node());
      }
      return;
    }
    Optional<PodCondition> current = scheduledCondition(pod);
    if (current.isPresent() && decision.message().equals(current.get().getMessage())) {
      return; // said already
    }
    writeUnschedulable(pod, decision.message());
    failedSchedulingEvent(pod, decision.message());
  }

  private void writeUnschedulable(Pod pod, String message) {
    StatusWriter.write(
        client,
        namespace(pod),
        name(pod),
        p -> {
          if (!p.getMetadata().getUid().equals(pod.getMetadata().getUid()) || !waitsForUs(p)) {
            return null;
          }
          PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
          List<PodCondition> conditions =
              status.getConditions() == null
                  ? new ArrayList<>()
                  : new ArrayList<>(status.getConditions());
          conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
          conditions.add(
              new PodConditionBuilder()
                  .withType("PodScheduled")
                  .withStatus("False")
                  .withReason("Unschedulable")
                  .withMessage(message)
                  .withLastTransitionTime(PodStatuses.time(clock.instant()))
                  .build());
          status.setConditions(conditions);
          status.setPhase("Pending");
          return status;
        });
  }

  private void failedSchedulingEvent(Pod pod, String message) {
    PodWarnings.event(
        client,
        pod,
        "FailedScheduling",
        message,
        DEFAULT_SCHEDULER + " (sandbox stand-in)",
        null,
        clock.instant());
  }

  private static Optional<PodCondition> scheduledCondition(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> "PodScheduled".equals(c.getType()))
            .findFirst();
  }

  private static String namespace(Pod pod) {
    return pod.getMetadata().getNamespace();
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  @Override
  public void close() {
    if (pods != null) {
      pods.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    thread.shutdownNow();
  }
}
