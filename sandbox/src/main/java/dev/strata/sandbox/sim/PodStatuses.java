package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The statuses a kubelet would report for a pod at each step of its life, as the simulator writes
 * them: pure (pod and facts in, a new status out).
 */
public final class PodStatuses {
  private PodStatuses() {}

  /**
   * Bound, but a volume's claim does not exist: the kubelet cannot mount it, so the containers wait
   * in ContainerCreating and the pod stays Pending, the conditions saying which claim is missing.
   */
  public static PodStatus waitingForClaim(Pod pod, String claim, String hostIp, Instant now) {
    String message = "persistentvolumeclaim \"" + claim + "\" not found";
    String time = time(now);
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withHostIP(hostIp)
        .withQosClass(qosClass(pod))
        .withConditions(
            condition("PodScheduled", "True", null, null, time),
            condition("Initialized", "True", null, null, time),
            condition("ContainersReady", "False", "PersistentVolumeClaimNotFound", message, time),
            condition("Ready", "False", "PersistentVolumeClaimNotFound", message, time))
        .withContainerStatuses(
            containers(pod).stream()
                .map(
                    c ->
                        base(c, 0)
                            .withState(
                                new ContainerStateBuilder()
                                    .withNewWaiting()
                                    .withReason("ContainerCreating")
                                    .withMessage(message)
                                    .endWaiting()
                                    .build())
                            .build())
                .toList())
        .build();
  }

  /** Every container started and ready. */
  public static PodStatus running(
      Pod pod, String podIp, String hostIp, Instant startTime, Instant now, int restarts) {
    String started = time(now);
    return new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP(podIp)
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withHostIP(hostIp)
        .withStartTime(time(startTime))
        .withQosClass(qosClass(pod))
        .withConditions(
            condition("PodScheduled", "True", null, null, time(startTime)),
            condition("Initialized", "True", null, null, time(startTime)),
            condition("ContainersReady", "True", null, null, started),
            condition("Ready", "True", null, null, started))
        .withContainerStatuses(
            containers(pod).stream()
                .map(
                    c ->
                        base(c, restarts)
                            .withReady(true)
                            .withStarted(true)
                            .withState(
                                new ContainerStateBuilder()
                                    .withNewRunning()
                                    .withStartedAt(started)
                                    .endRunning()
                                    .build())
                            .build())
                .toList())
        .build();
  }

  /**
   * Every container exited with {@code exitCode}: Succeeded for 0, Failed otherwise. Reasons are
   * the kubelet's: Completed, Error.
   */
  public static PodStatus finished(
      Pod pod,
      String podIp,
      String hostIp,
      Instant startTime,
      Instant containersStarted,
      Instant now,
      int exitCode,
      int restarts) {
    String reason = exitCode == 0 ? "Completed" : "Error";
    String ended = time(now);
    return new PodStatusBuilder()
        .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withPodIP(podIp)
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withHostIP(hostIp)
        .withStartTime(time(startTime))
        .withQosClass(qosClass(pod))
        .withConditions(
            condition("PodScheduled", "True", null, null, time(startTime)),
            condition("Initialized", "True", null, null, time(startTime)),
            condition("ContainersReady", "False", "PodCompleted", null, ended),
            condition("Ready", "False", "PodCompleted", null, ended))
        .withContainerStatuses(
            containers(pod).stream()
                .map(
                    c ->
                        base(c, restarts)
                            .withReady(false)
                            .withStarted(false)
                            .withState(
                                new ContainerStateBuilder()
                                    .withNewTerminated()
                                    .withExitCode(exitCode)
                                    .withReason(reason)
                                    .withStartedAt(time(containersStarted))
                                    .withFinishedAt(ended)
                                    .withContainerID(containerId(pod, c))
                                    .endTerminated()
                                    .build())
                            .build())
                .toList())
        .build();
  }

  /** How the kubelet restarts containers after they exited this way. */
  public static boolean restarts(Pod pod, int exitCode) {
    String policy = pod.getSpec().getRestartPolicy();
    return "Always".equals(policy)
        || policy == null
        || ("OnFailure".equals(policy) && exitCode != 0);
  }

  private static ContainerStatusBuilder base(Container container, int restarts) {
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("sandbox://" + container.getImage())
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts);
  }

  private static String containerId(Pod pod, Container container) {
    return "sandbox://" + pod.getMetadata().getUid() + "/" + container.getName();
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of()
        : pod.getSpec().getContainers();
  }

  /** BestEffort with no requests or limits at all, Burstable otherwise (enough for tools). */
  private static String qosClass(Pod pod) {
    boolean any =
        containers(pod).stream()
            .anyMatch(
                c ->
                    c.getResources() != null
                        && ((c.getResources().getLimits() != null
                                && !c.getResources().getLimits().isEmpty())
                            || (c.getResources().getRequests() != null
                                && !c.getResources().getRequests().isEmpty())));
    return any ? "Burstable" : "BestEffort";
  }

  private static PodCondition condition(
      String type, String status, String reason, String message, String time) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(time)
        .build();
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
