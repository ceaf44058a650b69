package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What the kubelet reports about a pod, read the way every job controller needs it. */
public final class Pods {
  private Pods() {}

  /** The pod's phase, or null before the kubelet reported one. */
  public static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  public static boolean isRunning(Pod pod) {
    return "Running".equals(phase(pod));
  }

  public static boolean isSucceeded(Pod pod) {
    return "Succeeded".equals(phase(pod));
  }

  public static boolean isFailed(Pod pod) {
    return "Failed".equals(phase(pod));
  }

  /** Pending, Running, or not reported yet: the pod still holds (or waits for) resources. */
  public static boolean isLive(Pod pod) {
    String phase = phase(pod);
    return phase == null || "Running".equals(phase) || "Pending".equals(phase);
  }

  /** Deleted, waiting for its containers to stop. */
  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The condition Kubernetes puts on a pod it is about to disrupt (preempt, evict, drain). */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  /**
   * Failed because it was taken away rather than because its containers failed: the kubelet's
   * eviction (reason {@code Evicted}), or any disruption the pod was marked for (a {@code
   * DisruptionTarget} condition: preemption, API-initiated eviction, taint eviction), which is how
   * the virtual node reports a compute pod the compute scheduler preempted.
   */
  public static boolean isEvicted(Pod pod) {
    if (!isFailed(pod)) {
      return false;
    }
    if ("Evicted".equals(pod.getStatus().getReason())) {
      return true;
    }
    return pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The named container's status, if the kubelet reported one. */
  public static Optional<ContainerStatus> container(Pod pod, String name) {
    return containerStatuses(pod).filter(s -> name.equals(s.getName())).findFirst();
  }

  /** The named container's terminated state, if it has terminated (and not restarted since). */
  public static Optional<ContainerStateTerminated> terminated(Pod pod, String name) {
    return container(pod, name)
        .map(ContainerStatus::getState)
        .map(s -> s.getTerminated())
        .filter(t -> t != null);
  }

  /** The kubelet's in-place restarts of all the pod's containers, init containers included. */
  public static int restarts(Pod pod) {
    Stream<ContainerStatus> init =
        pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
            ? Stream.empty()
            : pod.getStatus().getInitContainerStatuses().stream();
    return Stream.concat(init, containerStatuses(pod))
        .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
        .sum();
  }

  private static Stream<ContainerStatus> containerStatuses(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    return statuses == null ? Stream.empty() : statuses.stream();
  }
}
