package dev.strata.operators.common;

import dev.strata.api.common.ConditionStatus;
import dev.strata.api.common.Copies;
import dev.strata.api.common.JobConditionType;
import dev.strata.api.common.JobStatus;
import dev.strata.api.validation.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How a job controller refuses a spec its validator rejects: the job fails with the validator's
 * message, once, and is finished like any failed job.
 */
public final class ValidationFailure {
  private ValidationFailure() {}

  /**
   * The status of {@code job} failed for {@code errors}; a Warning Event with {@code reason} is
   * recorded when the condition is new.
   */
  public static JobStatus refuse(
      HasMetadata job,
      JobStatus current,
      List<FieldError> errors,
      Enum<?> reason,
      Instant now,
      EventRecorder events) {
    JobStatus status = current == null ? new JobStatus() : Copies.deepCopy(current);
    String message = "Found validation errors: " + FieldError.summary(errors);
    if (JobConditions.set(
        status, JobConditionType.Failed, ConditionStatus.True, reason.name(), message, now)) {
      events.warning(job, reason, message);
    }
    if (status.getCompletionTime() == null) {
      // Finished like any failed job, so ttlSecondsAfterFinished applies to it too.
      status.setCompletionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return status;
  }
}
