package dev.strata.operators.mpijob.model;

import dev.strata.api.common.ConditionStatus;
import dev.strata.api.common.Copies;
import dev.strata.api.common.JobConditionType;
import dev.strata.api.common.JobStatus;
import dev.strata.api.common.ReplicaStatus;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIReplicaType;
import dev.strata.operators.common.JobConditions;
import dev.strata.operators.common.Pods;
import dev.strata.operators.common.StatusEvent;
import dev.strata.operators.mpijob.MPIJobReason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The status an MPIJob should have given what exists, and the Events its changes owe: upstream's
 * life cycle (Created → Running → Succeeded/Failed, Suspended, eviction) with the launcher Job as
 * the judge of success. Pure: reads the observed objects, returns a new status.
 */
public final class MPIJobStatusCalculator {
  private MPIJobStatusCalculator() {}

  /** A new status and the Events owed; the job's own status object is left alone. */
  public record Result(JobStatus status, List<StatusEvent> events) {}

  public static Result compute(MPIJobModel model, Observed observed, Instant now) {
    MPIJob job = model.defaultedJob();
    JobStatus status = job.getStatus() == null ? new JobStatus() : Copies.deepCopy(job.getStatus());
    List<StatusEvent> events = new ArrayList<>();
    String id = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();

    if (status.getConditions() == null || status.getConditions().isEmpty()) {
      set(
          status,
          events,
          JobConditionType.Created,
          MPIJobReason.MPIJobCreated,
          "MPIJob " + id + " is created.",
          false,
          now);
    }
    boolean suspended = model.suspended();
    if (status.getStartTime() == null && !suspended) {
      status.setStartTime(timestamp);
    }

    Map<String, ReplicaStatus> replicas = new LinkedHashMap<>();
    replicas.put(MPIReplicaType.Launcher.name(), launcherStatus(observed));
    ReplicaStatus workers = workerStatus(observed.workers());
    workers.setSelector(selector(model.workerSelector()));
    if (model.workerReplicas() > 0 || !observed.workers().isEmpty()) {
      replicas.put(MPIReplicaType.Worker.name(), workers);
    }
    status.setReplicaStatuses(replicas);

    Job launcher = observed.launcher();
    Optional<JobCondition> complete = jobCondition(launcher, "Complete");
    Optional<JobCondition> failed = jobCondition(launcher, "Failed");
    if (complete.isPresent()) {
      finish(status, timestamp, launcher.getStatus().getCompletionTime());
      set(
          status,
          events,
          JobConditionType.Succeeded,
          MPIJobReason.MPIJobSucceeded,
          "MPIJob " + id + " successfully completed.",
          false,
          now);
    } else if (failed.isPresent()) {
      finish(status, timestamp, null);
      failLauncher(status, events, id, failed.get(), observed.launcherPods(), now);
    }

    long evicted = observed.workers().stream().filter(Pods::isEvicted).count();
    if (evicted > 0 && !JobConditions.isFinished(status)) {
      String message = evicted + "/" + model.workerReplicas() + " workers are evicted";
      if (recoversFromEviction(model)) {
        set(
            status,
            events,
            JobConditionType.Restarting,
            MPIJobReason.MPIJobRestarting,
            message + "; recreating them",
            true,
            now);
      } else {
        finish(status, timestamp, null);
        setFailed(status, events, MPIJobReason.MPIJobEvicted, message, now);
      }
    }

    // A resume restarts the clock before the deadline is judged: time spent suspended (Kueue
    // preemption, say) does not count against activeDeadlineSeconds.
    if (!suspended
        && JobConditions.find(status, JobConditionType.Suspended)
            .filter(c -> ConditionStatus.True.name().equals(c.getStatus()))
            .isPresent()) {
      set(
          status,
          events,
          JobConditionType.Suspended,
          ConditionStatus.False,
          MPIJobReason.MPIJobResumed,
          "MPIJob resumed",
          false,
          now);
      status.setStartTime(timestamp);
    }
    Long deadline = job.getSpec().getRunPolicy().getActiveDeadlineSeconds();
    if (deadline != null
        && status.getStartTime() != null
        && !suspended
        && !JobConditions.isFinished(status)
        && !now.isBefore(Instant.parse(status.getStartTime()).plusSeconds(deadline))) {
      finish(status, timestamp, null);
      setFailed(
          status,
          events,
          MPIJobReason.DeadlineExceeded,
          "MPIJob " + id + " has run longer than its activeDeadlineSeconds (" + deadline + "s)",
          now);
    }

    if (suspended) {
      // The Suspended condition's Event tells users; Running turning False needs no second one.
      JobConditions.set(
          status,
          JobConditionType.Running,
          ConditionStatus.False,
          MPIJobReason.MPIJobSuspended.name(),
          "MPIJob " + id + " is suspended.",
          now);
      set(
          status,
          events,
          JobConditionType.Suspended,
          MPIJobReason.MPIJobSuspended,
          "MPIJob suspended",
          false,
          now);
    } else {
      if (!JobConditions.isFinished(status) && isRunning(model, observed)) {
        set(
            status,
            events,
            JobConditionType.Running,
            MPIJobReason.MPIJobRunning,
            "MPIJob " + id + " is running.",
            false,
            now);
      }
    }
    return new Result(status, events);
  }

  /** Whether an evicted worker is recreated rather than failing the job. */
  public static boolean recoversFromEviction(MPIJobModel model) {
    var worker =
        model.defaultedJob().getSpec().getMpiReplicaSpecs().get(MPIReplicaType.Worker.name());
    return worker != null && "OnFailure".equals(worker.getRestartPolicy());
  }

  /** The launcher runs and every worker the spec asks for runs. */
  private static boolean isRunning(MPIJobModel model, Observed observed) {
    long running = observed.workers().stream().filter(Pods::isRunning).count();
    boolean launcherRunning = observed.launcherPods().stream().anyMatch(Pods::isRunning);
    return launcherRunning && running == model.workerReplicas();
  }

  private static ReplicaStatus launcherStatus(Observed observed) {
    ReplicaStatus status = new ReplicaStatus();
    Job launcher = observed.launcher();
    int active = (int) observed.launcherPods().stream().filter(Pods::isRunning).count();
    int failed =
        launcher == null || launcher.getStatus() == null || launcher.getStatus().getFailed() == null
            ? 0
            : launcher.getStatus().getFailed();
    boolean complete = jobCondition(launcher, "Complete").isPresent();
    status.setActive(complete ? 0 : active);
    status.setSucceeded(complete ? 1 : 0);
    status.setFailed(failed);
    return status;
  }

  private static ReplicaStatus workerStatus(List<Pod> workers) {
    ReplicaStatus status = new ReplicaStatus();
    status.setActive(count(workers, "Running"));
    status.setSucceeded(count(workers, "Succeeded"));
    status.setFailed(count(workers, "Failed"));
    return status;
  }

  private static int count(List<Pod> pods, String phase) {
    return (int)
        pods.stream()
            .filter(p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()))
            .count();
  }

  private static String selector(Map<String, String> labels) {
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static Optional<JobCondition> jobCondition(Job job, String type) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /**
   * The launcher Job's failure becomes the job's, with its reason; when it ran out of retries the
   * last launcher pod's reason says why.
   */
  private static void failLauncher(
      JobStatus status,
      List<StatusEvent> events,
      String id,
      JobCondition failed,
      List<Pod> launcherPods,
      Instant now) {
    String reason =
        failed.getReason() == null || failed.getReason().isEmpty()
            ? MPIJobReason.MPIJobFailed.name()
            : failed.getReason();
    String message =
        failed.getMessage() == null || failed.getMessage().isEmpty()
            ? "MPIJob " + id + " has failed"
            : failed.getMessage();
    if ("BackoffLimitExceeded".equals(reason)) {
      Optional<Pod> last =
          launcherPods.stream()
              .filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
              .max(
                  Comparator.comparing(
                      p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
      if (last.isPresent()) {
        reason += "/" + nullToEmpty(last.get().getStatus().getReason());
        message += ": " + nullToEmpty(last.get().getStatus().getMessage());
      }
    }
    if (JobConditions.set(
        status, JobConditionType.Failed, ConditionStatus.True, reason, message, now)) {
      events.add(new StatusEvent(true, MPIJobReason.MPIJobFailed, reason + ": " + message));
    }
  }

  private static void setFailed(
      JobStatus status,
      List<StatusEvent> events,
      MPIJobReason reason,
      String message,
      Instant now) {
    set(status, events, JobConditionType.Failed, reason, message, true, now);
  }

  private static void finish(JobStatus status, String now, String completionTime) {
    if (status.getCompletionTime() == null) {
      status.setCompletionTime(completionTime != null ? completionTime : now);
    }
  }

  private static void set(
      JobStatus status,
      List<StatusEvent> events,
      JobConditionType type,
      MPIJobReason reason,
      String message,
      boolean warning,
      Instant now) {
    set(status, events, type, ConditionStatus.True, reason, message, warning, now);
  }

  private static void set(
      JobStatus status,
      List<StatusEvent> events,
      JobConditionType type,
      ConditionStatus value,
      MPIJobReason reason,
      String message,
      boolean warning,
      Instant now) {
    if (JobConditions.set(status, type, value, reason.name(), message, now)) {
      events.add(new StatusEvent(warning, reason, message));
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
