package dev.strata.operators.common;

import dev.strata.api.common.ConditionStatus;
import dev.strata.api.common.JobCondition;
import dev.strata.api.common.JobConditionType;
import dev.strata.api.common.JobStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets job conditions the way Kubeflow's job controllers do, so {@code kubectl get} shows the same
 * state: the condition set last is the last in the list (the printer column reads {@code
 * conditions[-1:]}), Running and Restarting exclude each other, and a finished job's Running turns
 * False. Pure: changes only the status passed in.
 */
public final class JobConditions {
  private JobConditions() {}

  public static Optional<JobCondition> find(JobStatus status, JobConditionType type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.name().equals(c.getType())).findFirst();
  }

  public static boolean isTrue(JobStatus status, JobConditionType type) {
    return find(status, type)
        .map(c -> ConditionStatus.True.name().equals(c.getStatus()))
        .orElse(false);
  }

  /** True once the job Succeeded or Failed: its conditions no longer change. */
  public static boolean isFinished(JobStatus status) {
    return isTrue(status, JobConditionType.Succeeded) || isTrue(status, JobConditionType.Failed);
  }

  /**
   * Sets a condition. Returns false, changing nothing, when the same status and reason are already
   * there (so a reconcile loop does not rewrite status) or when the job has already failed.
   */
  public static boolean set(
      JobStatus status,
      JobConditionType type,
      ConditionStatus value,
      String reason,
      String message,
      Instant now) {
    if (isTrue(status, JobConditionType.Failed)) {
      return false;
    }
    Optional<JobCondition> current = find(status, type);
    if (current.isPresent()
        && value.name().equals(current.get().getStatus())
        && Objects.equals(reason, current.get().getReason())) {
      return false;
    }
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    JobCondition condition = new JobCondition();
    condition.setType(type.name());
    condition.setStatus(value.name());
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastUpdateTime(timestamp);
    condition.setLastTransitionTime(
        current.isPresent() && value.name().equals(current.get().getStatus())
            ? current.get().getLastTransitionTime()
            : timestamp);

    List<JobCondition> conditions = new ArrayList<>();
    if (status.getConditions() != null) {
      for (JobCondition existing : status.getConditions()) {
        if (!type.name().equals(existing.getType()) && !supersededBy(existing, type, value)) {
          conditions.add(existing);
        }
      }
    }
    if (value == ConditionStatus.True
        && (type == JobConditionType.Succeeded || type == JobConditionType.Failed)) {
      find(status, JobConditionType.Running)
          .filter(r -> ConditionStatus.True.name().equals(r.getStatus()))
          .ifPresent(r -> markFalse(r, timestamp, conditions));
    }
    conditions.add(condition);
    status.setConditions(conditions);
    return true;
  }

  /** Running and Restarting exclude each other: setting one drops the other. */
  private static boolean supersededBy(
      JobCondition existing, JobConditionType type, ConditionStatus value) {
    if (value != ConditionStatus.True) {
      return false;
    }
    return (type == JobConditionType.Running
            && JobConditionType.Restarting.name().equals(existing.getType()))
        || (type == JobConditionType.Restarting
            && JobConditionType.Running.name().equals(existing.getType()));
  }

  private static void markFalse(JobCondition running, String timestamp, List<JobCondition> into) {
    into.remove(running);
    JobCondition stopped = new JobCondition();
    stopped.setType(running.getType());
    stopped.setStatus(ConditionStatus.False.name());
    stopped.setReason(running.getReason());
    stopped.setMessage(running.getMessage());
    stopped.setLastUpdateTime(timestamp);
    stopped.setLastTransitionTime(timestamp);
    into.add(stopped);
  }
}
