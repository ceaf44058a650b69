package dev.strata.scheduler.standalone;

import dev.strata.scheduler.kube.Bindings;
import dev.strata.scheduler.kube.ClusterSnapshot;
import dev.strata.scheduler.kube.GangKey;
import dev.strata.scheduler.kube.GangKeys;
import dev.strata.scheduler.kube.GpuIndices;
import dev.strata.scheduler.kube.Translation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a pass's {@link Action}s against the API and keeps the scheduler's assumptions in
 * step: a member is assumed placed before its first write, so the next pass counts it even if the
 * informer has not shown the binding yet; a member whose binding fails is un-assumed.
 *
 * <p>A gang's binding that fails midway leaves the members bound so far bound (Kubernetes cannot
 * unbind a pod) and the rest pending. The next pass finds the gang with members placed, decides the
 * rest first of all gangs, and binds them: a gang's binding is retried until it is complete. No pod
 * is deleted for it.
 */
final class Applier {

  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  private final KubernetesClient client;
  private final String component;
  private final PodBinder binder;
  private final Map<String, ClusterSnapshot.Assumed> assumed;
  private final Map<String, Nomination> nominations;
  private final Clock clock;

  Applier(
      KubernetesClient client,
      String component,
      Map<String, ClusterSnapshot.Assumed> assumed,
      Map<String, Nomination> nominations,
      Clock clock) {
    this.clock = clock;
    this.client = client;
    this.component = component;
    this.binder = new PodBinder(client);
    this.assumed = assumed;
    this.nominations = nominations;
  }

  void apply(Action action) {
    if (action instanceof Action.Bind bind) {
      bind(bind);
    } else if (action instanceof Action.Preempt preempt) {
      preempt(preempt);
    } else if (action instanceof Action.Report report) {
      report(report.pod(), report.message());
    }
  }

  private void bind(Action.Bind bind) {
    for (Action.Member m : bind.members()) {
      assumed.put(
          m.pod().getMetadata().getUid(),
          new ClusterSnapshot.Assumed(m.placement().nodeName(), m.placement().gpuIndices()));
    }
    for (int i = 0; i < bind.members().size(); i++) {
      Action.Member m = bind.members().get(i);
      try {
        Pod bound = bindOne(m);
        event(
            bound,
            "Normal",
            "Scheduled",
            "Successfully assigned "
                + ClusterSnapshot.key(bound)
                + " to "
                + m.placement().nodeName()
                + gpuText(m.placement().gpuIndices())
                + " (gang "
                + bind.gang()
                + ")");
      } catch (PodBinder.BindFailure | KubernetesClientException e) {
        List<Action.Member> rest = bind.members().subList(i, bind.members().size());
        rest.forEach(r -> assumed.remove(r.pod().getMetadata().getUid()));
        LOG.warn(
            "gang {}: binding stopped after {} of {} members ({}); the rest is retried",
            bind.gang(),
            i,
            bind.members().size(),
            e.getMessage());
        return;
      }
    }
    LOG.info(
        "gang {} bound to {}",
        bind.gang(),
        bind.members().stream()
            .map(m -> m.placement().nodeName() + gpuText(m.placement().gpuIndices()))
            .collect(Collectors.joining(", ")));
  }

  private Pod bindOne(Action.Member m) throws PodBinder.BindFailure {
    Pod pod = m.pod();
    int[] gpus = m.placement().gpuIndices();
    if (gpus.length > 0) {
      try {
        Bindings.recordGpuIndices(
            client,
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            GpuIndices.format(gpus));
      } catch (KubernetesClientException e) {
        throw new PodBinder.BindFailure(
            "writing GPU indices on " + ClusterSnapshot.key(pod) + " failed: " + e.getMessage());
      }
    }
    Pod bound = binder.bind(pod, m.placement().nodeName());
    markScheduled(bound);
    return bound;
  }

  /** Clears an earlier Unschedulable reason; a real API server sets PodScheduled on binding. */
  private void markScheduled(Pod bound) {
    PodCondition scheduled = condition(bound, "PodScheduled");
    if (scheduled == null || "True".equals(scheduled.getStatus())) {
      return;
    }
    setCondition(
        bound,
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("True")
            .withLastTransitionTime(now())
            .build());
  }

  private void preempt(Action.Preempt preempt) {
    Set<String> victimUids =
        preempt.victims().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    Map<String, ClusterSnapshot.Assumed> placements = new HashMap<>();
    for (Action.Member m : preempt.nominated()) {
      placements.put(
          m.pod().getMetadata().getUid(),
          new ClusterSnapshot.Assumed(m.placement().nodeName(), m.placement().gpuIndices()));
    }
    nominations.put(preempt.gang(), new Nomination(victimUids, placements, clock.instant()));
    for (Pod victim : preempt.victims()) {
      Pod current = fresh(victim);
      if (current == null) {
        continue;
      }
      String message = preemptedMessage(preempt, current);
      setCondition(
          current,
          new PodConditionBuilder()
              .withType("DisruptionTarget")
              .withStatus("True")
              .withReason("PreemptionByScheduler")
              .withMessage(message)
              .withLastTransitionTime(now())
              .build());
      event(current, "Normal", "Preempted", message);
      try {
        client.resource(current).delete();
      } catch (KubernetesClientException e) {
        LOG.warn("could not delete victim {}: {}", ClusterSnapshot.key(current), e.getMessage());
      }
    }
    LOG.info(
        "gang {} preempts {}",
        preempt.gang(),
        preempt.victims().stream().map(ClusterSnapshot::key).collect(Collectors.joining(", ")));
  }

  /**
   * Why a victim was preempted. The virtual node copies compute Events and conditions back to the
   * victim's tenant, so another tenant's gang, namespace and name are not told: tenants never see
   * each other.
   */
  static String preemptedMessage(Action.Preempt preempt, Pod victim) {
    Translation<GangKey> key = GangKeys.of(victim);
    if (key.isOk() && key.value().tenant().equals(preempt.tenant())) {
      return "Preempted by "
          + preempt.tier()
          + " gang "
          + preempt.gang()
          + " of tenant "
          + preempt.tenant()
          + ", which needs its GPUs";
    }
    return "Preempted by "
        + preempt.tier()
        + " work of another tenant, which needs its GPUs back: LOW work runs on GPUs it borrows"
        + " and gives them back when a tenant's guaranteed work needs them";
  }

  private void report(Pod pod, String message) {
    Pod current = fresh(pod);
    if (current == null
        || current.getSpec().getNodeName() != null
        || Planner.report(current, message).isEmpty()) {
      return; // bound meanwhile, or already says so: one Event per change of reason
    }
    boolean written =
        setCondition(
            current,
            new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .withLastTransitionTime(now())
                .build());
    if (written) {
      event(current, "Warning", "FailedScheduling", message);
    }
  }

  private Pod fresh(Pod pod) {
    Pod current =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      return null;
    }
    return current;
  }

  /** Replaces the condition of that type on a pod read just now; false when the write lost. */
  private boolean setCondition(Pod current, PodCondition condition) {
    PodStatus status = current.getStatus() == null ? new PodStatus() : current.getStatus();
    List<PodCondition> conditions = new ArrayList<>();
    if (status.getConditions() != null) {
      status.getConditions().stream()
          .filter(c -> !condition.getType().equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(condition);
    status.setConditions(conditions);
    current.setStatus(status);
    try {
      client.resource(current).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      // 409: changed meanwhile; the next pass sees it and writes again if still needed.
      LOG.debug("status of {} not written: {}", ClusterSnapshot.key(current), e.getMessage());
      return false;
    }
  }

  private static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private void event(Pod pod, String type, String reason, String message) {
    String now = now();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(StandaloneNames.event(pod))
            .withNamespace(pod.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("v1")
            .withKind("Pod")
            .withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .withReportingComponent(component)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.debug("event for {} not written: {}", ClusterSnapshot.key(pod), e.getMessage());
    }
  }

  private static String gpuText(int[] gpus) {
    return gpus.length == 0 ? "" : " GPUs " + GpuIndices.format(gpus);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
