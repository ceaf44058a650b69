package dev.strata.operators.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.common.ConditionStatus;
import dev.strata.api.common.JobCondition;
import dev.strata.api.common.JobConditionType;
import dev.strata.api.common.JobStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobConditionsTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123Z");
  private static final Instant T1 = T0.plusSeconds(30);
  private static final Instant T2 = T0.plusSeconds(60);

  @Test
  void theLatestConditionIsLastSoThePrinterColumnShowsIt() {
    JobStatus status = new JobStatus();
    JobConditions.set(status, JobConditionType.Created, ConditionStatus.True, "Created", "c", T0);
    JobConditions.set(status, JobConditionType.Running, ConditionStatus.True, "Running", "r", T1);

    assertThat(status.getConditions())
        .extracting(JobCondition::getType)
        .containsExactly("Created", "Running");
    assertThat(status.getConditions().get(1).getLastTransitionTime())
        .isEqualTo("2026-11-28T10:00:30Z");
  }

  @Test
  void settingTheSameStatusAndReasonAgainChangesNothing() {
    JobStatus status = new JobStatus();
    JobConditions.set(status, JobConditionType.Running, ConditionStatus.True, "Running", "r", T0);

    boolean changed =
        JobConditions.set(
            status, JobConditionType.Running, ConditionStatus.True, "Running", "x", T1);

    assertThat(changed).isFalse();
    assertThat(status.getConditions().get(0).getMessage()).isEqualTo("r");
  }

  @Test
  void restartingReplacesRunningAndBack() {
    JobStatus status = new JobStatus();
    JobConditions.set(status, JobConditionType.Running, ConditionStatus.True, "Running", "r", T0);
    JobConditions.set(
        status, JobConditionType.Restarting, ConditionStatus.True, "Restart", "x", T1);
    assertThat(status.getConditions())
        .extracting(JobCondition::getType)
        .containsExactly("Restarting");

    JobConditions.set(status, JobConditionType.Running, ConditionStatus.True, "Running", "r", T2);
    assertThat(status.getConditions()).extracting(JobCondition::getType).containsExactly("Running");
  }

  @Test
  void finishingTurnsRunningFalseAndAFailedJobStaysFailed() {
    JobStatus status = new JobStatus();
    JobConditions.set(status, JobConditionType.Running, ConditionStatus.True, "Running", "r", T0);
    JobConditions.set(status, JobConditionType.Failed, ConditionStatus.True, "Failed", "f", T1);

    assertThat(status.getConditions())
        .extracting(JobCondition::getType, JobCondition::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Running", "False"),
            org.assertj.core.groups.Tuple.tuple("Failed", "True"));
    assertThat(JobConditions.isFinished(status)).isTrue();
    assertThat(
            JobConditions.set(
                status, JobConditionType.Succeeded, ConditionStatus.True, "Ok", "s", T2))
        .isFalse();
  }

  @Test
  void aStatusChangeMovesTheTransitionTimeAndAReasonChangeDoesNot() {
    JobStatus status = new JobStatus();
    JobConditions.set(
        status, JobConditionType.Suspended, ConditionStatus.True, "Suspended", "", T0);
    JobConditions.set(status, JobConditionType.Suspended, ConditionStatus.True, "Again", "", T1);
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-11-28T10:00:00Z");

    JobConditions.set(status, JobConditionType.Suspended, ConditionStatus.False, "Resumed", "", T2);
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-11-28T10:01:00Z");
  }
}
