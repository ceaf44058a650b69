package dev.strata.virtualnode.forward;

import dev.strata.operators.common.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;

/**
 * The tenant pod's status as the compute pod reports it: phase, conditions, container statuses, pod
 * IP, start time, reason and message. Pure: no API calls.
 */
public final class StatusTranslator {
  /** Reason of a tenant pod whose compute pod was deleted by someone other than the forwarder. */
  public static final String COMPUTE_POD_DELETED = "ComputePodDeleted";

  /** Reason of a tenant pod whose compute pod was preempted by the compute scheduler. */
  public static final String PREEMPTED = "Preempted";

  /** Reason of a tenant pod failed after the compute cluster stayed unreachable past the grace. */
  public static final String COMPUTE_UNREACHABLE = "ComputeUnreachable";

  private StatusTranslator() {}

  /**
   * Why a tenant pod ended: its status reason and message, and the compute pod's DisruptionTarget
   * condition when it was disrupted (preempted, evicted), else null.
   */
  public record Ending(String reason, String message, PodCondition disruption) {}

  /** The status the tenant pod should have, given its compute pod's. */
  public static PodStatus fromCompute(Pod tenant, Pod compute) {
    PodStatus from = compute.getStatus() == null ? new PodStatus() : compute.getStatus();
    PodStatus status = copyOfStatus(tenant);
    status.setPhase(from.getPhase() == null ? "Pending" : from.getPhase());
    status.setConditions(from.getConditions());
    status.setContainerStatuses(from.getContainerStatuses());
    status.setInitContainerStatuses(from.getInitContainerStatuses());
    status.setPodIP(from.getPodIP());
    status.setPodIPs(from.getPodIPs());
    status.setQosClass(from.getQosClass());
    status.setReason(from.getReason());
    status.setMessage(from.getMessage());
    // Every write carries a start time, so a stale write can never erase the accepted mark.
    if (from.getStartTime() != null) {
      status.setStartTime(from.getStartTime());
    } else if (status.getStartTime() == null) {
      status.setStartTime(compute.getMetadata().getCreationTimestamp());
    }
    return status;
  }

  /**
   * The status a tenant pod gets when the node accepts it: Pending, started when its compute pod
   * was created.
   */
  public static PodStatus accepted(Pod tenant, Pod createdPod) {
    PodStatus status = copyOfStatus(tenant);
    status.setPhase("Pending");
    String created = createdPod.getMetadata().getCreationTimestamp();
    status.setStartTime(created != null ? created : Instant.now().toString());
    return status;
  }

  /** Whether the tenant pod was accepted (forwarded) before: the node stamps a start time. */
  public static boolean wasAccepted(Pod tenant) {
    return tenant.getStatus() != null && tenant.getStatus().getStartTime() != null;
  }

  /** A Failed status, so the owning controller sees the pod end and reacts. */
  public static PodStatus failed(Pod tenant, String reason, String message) {
    PodStatus status = copyOfStatus(tenant);
    status.setPhase("Failed");
    status.setReason(reason);
    status.setMessage(message);
    return status;
  }

  /**
   * Why a compute pod that disappeared is gone, read from its last known state: the compute
   * scheduler marks a preempted pod with a DisruptionTarget condition before deleting it.
   */
  public static Ending vanishedReason(Pod lastKnown) {
    List<PodCondition> conditions =
        lastKnown == null || lastKnown.getStatus() == null
            ? null
            : lastKnown.getStatus().getConditions();
    if (conditions != null) {
      for (PodCondition c : conditions) {
        if (Pods.DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus())) {
          String reason = "PreemptionByScheduler".equals(c.getReason()) ? PREEMPTED : c.getReason();
          return new Ending(
              reason == null ? COMPUTE_POD_DELETED : reason,
              c.getMessage() == null ? "the compute pod was disrupted" : c.getMessage(),
              c);
        }
      }
    }
    return new Ending(
        COMPUTE_POD_DELETED, "the pod's compute pod was deleted outside the virtual node", null);
  }

  /**
   * The Failed status of a tenant pod whose compute pod ended as {@code ending}. A disrupted one
   * carries the DisruptionTarget condition too, as a pod preempted or evicted in its own cluster
   * would: job controllers tell a disruption from a failure of the workload by it.
   */
  public static PodStatus ended(Pod tenant, Ending ending) {
    PodStatus status = failed(tenant, ending.reason(), ending.message());
    if (ending.disruption() != null) {
      List<PodCondition> conditions =
          new java.util.ArrayList<>(
              status.getConditions() == null ? List.of() : status.getConditions());
      conditions.removeIf(c -> Pods.DISRUPTION_TARGET.equals(c.getType()));
      conditions.add(PodTranslator.JSON.clone(ending.disruption()));
      status.setConditions(conditions);
    }
    return status;
  }

  public static boolean isTerminal(Pod pod) {
    return Pods.isSucceeded(pod) || Pods.isFailed(pod);
  }

  /** A copy of the tenant pod's status to change, empty when it has none. */
  private static PodStatus copyOfStatus(Pod tenant) {
    return tenant.getStatus() == null
        ? new PodStatus()
        : PodTranslator.JSON.clone(tenant.getStatus());
  }
}
