package dev.strata.sandbox.sim;

import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.Pods;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the batch Job stand-in decides for one Job: the pods to create and the status to write, from
 * the Job and its pods. Pure. Follows the Job controller for what the MPIJob launcher needs:
 * completions and parallelism, backoffLimit counting failed pods and (restartPolicy OnFailure)
 * container restarts, suspend, and the Complete/Failed conditions with their reasons.
 */
public final class BatchJobPods {
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private BatchJobPods() {}

  /**
   * @param status the status to write
   * @param podsToCreate how many new pods the Job needs now
   * @param deleteActive whether the Job's running pods must go (finished failed, or suspended)
   */
  public record Plan(JobStatus status, int podsToCreate, boolean deleteActive) {}

  public static Plan plan(Job job, List<Pod> pods, Instant now) {
    JobStatus previous = job.getStatus() == null ? new JobStatus() : job.getStatus();
    JobStatus status = JSON.clone(previous);
    String time = PodStatuses.time(now);
    if (finished(previous)) {
      return new Plan(previous, 0, false);
    }
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    List<Pod> active =
        pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> !Pods.isSucceeded(p) && !Pods.isFailed(p))
            .toList();
    int succeeded = (int) pods.stream().filter(Pods::isSucceeded).count();
    int failedPods = (int) pods.stream().filter(Pods::isFailed).count();
    int restarts =
        "OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())
            ? active.stream().mapToInt(Pods::restarts).sum()
            : 0;
    status.setSucceeded(succeeded);
    status.setFailed(failedPods);
    status.setActive(active.size());
    status.setReady((int) active.stream().filter(Pods::isReady).count());
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    if (suspended) {
      setCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", time);
      status.setActive(0);
      return new Plan(status, 0, !active.isEmpty());
    }
    if (hasCondition(previous, "Suspended", "True")) {
      setCondition(status, "Suspended", "False", "JobResumed", "Job resumed", time);
    }
    if (status.getStartTime() == null) {
      status.setStartTime(time);
    }
    if (succeeded >= completions) {
      status.setActive(0);
      status.setCompletionTime(time);
      setCondition(
          status,
          "SuccessCriteriaMet",
          "True",
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          time);
      setCondition(
          status,
          "Complete",
          "True",
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          time);
      return new Plan(status, 0, !active.isEmpty());
    }
    if (failedPods + restarts > backoffLimit) {
      setCondition(
          status,
          "FailureTarget",
          "True",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          time);
      setCondition(
          status,
          "Failed",
          "True",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          time);
      status.setActive(0);
      return new Plan(status, 0, !active.isEmpty());
    }
    int wanted = Math.min(parallelism, completions - succeeded);
    return new Plan(status, Math.max(0, wanted - active.size()), false);
  }

  /** A new pod of the Job, named {@code <job>-<random>} by the API server. */
  public static Pod pod(Job job) {
    var template = job.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    labels.put(JOB_NAME_LABEL, job.getMetadata().getName());
    labels.put("controller-uid", job.getMetadata().getUid());
    labels.put("job-name", job.getMetadata().getName());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withGenerateName(job.getMetadata().getName() + "-")
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerReferences.controlledBy(job))
                .build())
        .withSpec(JSON.clone(template.getSpec()))
        .build();
  }

  public static boolean finished(JobStatus status) {
    return hasCondition(status, "Complete", "True") || hasCondition(status, "Failed", "True");
  }

  private static boolean hasCondition(JobStatus status, String type, String value) {
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && value.equals(c.getStatus()));
  }

  private static void setCondition(
      JobStatus status, String type, String value, String reason, String message, String time) {
    List<JobCondition> conditions =
        status.getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<>(status.getConditions());
    JobCondition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing != null && value.equals(existing.getStatus())) {
      return;
    }
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(
        new JobConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(time)
            .withLastTransitionTime(time)
            .build());
    status.setConditions(conditions);
  }
}
