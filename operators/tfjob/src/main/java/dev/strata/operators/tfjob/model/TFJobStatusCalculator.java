package dev.strata.operators.tfjob.model;

import dev.strata.api.common.ConditionStatus;
import dev.strata.api.common.Copies;
import dev.strata.api.common.JobConditionType;
import dev.strata.api.common.JobStatus;
import dev.strata.api.common.ReplicaStatus;
import dev.strata.api.common.RestartPolicy;
import dev.strata.api.tfjob.SuccessPolicy;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFJobNames;
import dev.strata.api.tfjob.TFReplicaType;
import dev.strata.operators.common.JobConditions;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.common.Pods;
import dev.strata.operators.common.StatusEvent;
import dev.strata.operators.tfjob.TFJobReason;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The status a TFJob should have given its pods, and the Events its changes owe: upstream's
 * UpdateJobStatus (the Chief/Master, or else the workers, decide success; a failed replica fails
 * the job) plus the run-policy checks (backoffLimit, activeDeadlineSeconds, suspend). Pure: reads
 * the observed pods, returns a new status.
 */
public final class TFJobStatusCalculator {
  private TFJobStatusCalculator() {}

  /** A new status and the Events owed; the job's own status object is left alone. */
  public record Result(JobStatus status, List<StatusEvent> events) {
    public boolean finished() {
      return JobConditions.isFinished(status);
    }
  }

  /**
   * What this reconcile does about failed pods, decided before the status: the pods the controller
   * deletes to recreate, and whether a restart was refused because backoffLimit is reached.
   */
  public record Restarts(List<Pod> pods, boolean refusedByBackoffLimit) {
    public static Restarts none() {
      return new Restarts(List.of(), false);
    }
  }

  /** The pod of each replica of each type that has pods, by type then index; absent ones null. */
  public static Map<TFReplicaType, Pod[]> bySlot(TFJobModel model, List<Pod> pods) {
    Map<TFReplicaType, Pod[]> slots = new EnumMap<>(TFReplicaType.class);
    for (TFReplicaType type : model.podTypes()) {
      slots.put(type, new Pod[model.replicas(type)]);
    }
    for (Pod pod : pods) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels == null) {
        continue;
      }
      Optional<TFReplicaType> type =
          TFReplicaType.parse(labels.getOrDefault(JobLabels.REPLICA_TYPE, ""));
      Pod[] forType = type.map(slots::get).orElse(null);
      Integer index = parseIndex(labels.get(JobLabels.REPLICA_INDEX));
      if (forType != null
          && index != null
          && index >= 0
          && index < forType.length
          && pod.getMetadata()
              .getName()
              .equals(TFJobNames.replica(model.name(), type.get().name(), index))) {
        forType[index] = pod;
      }
    }
    return slots;
  }

  public static Result compute(
      TFJobModel model, Observed observed, Restarts restarts, Instant now) {
    TFJob job = model.defaultedJob();
    JobStatus status = job.getStatus() == null ? new JobStatus() : Copies.deepCopy(job.getStatus());
    List<StatusEvent> events = new ArrayList<>();
    String id = model.id();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();

    if (status.getConditions() == null || status.getConditions().isEmpty()) {
      set(
          status,
          events,
          JobConditionType.Created,
          TFJobReason.TFJobCreated,
          "TFJob " + id + " is created.",
          false,
          now);
    }
    boolean suspended = model.suspended();
    if (status.getStartTime() == null && !suspended) {
      status.setStartTime(timestamp);
    }

    // A suspended job's pods are being deleted: they count for nothing.
    Map<TFReplicaType, Pod[]> slots =
        bySlot(
            model,
            suspended
                ? List.of()
                : observed.pods().stream().filter(p -> !Pods.isTerminating(p)).toList());
    Map<TFReplicaType, Counts> counts = new EnumMap<>(TFReplicaType.class);
    Map<String, ReplicaStatus> replicaStatuses = new LinkedHashMap<>();
    for (TFReplicaType type : model.types()) {
      Counts c =
          type == TFReplicaType.PS && model.colocatesPs()
              ? colocatedPsCounts(slots.get(TFReplicaType.Worker))
              : counts(model, type, slots.get(type));
      counts.put(type, c);
      ReplicaStatus replica = new ReplicaStatus();
      replica.setActive(c.active);
      replica.setSucceeded(c.succeeded);
      replica.setFailed(c.failed);
      replica.setSelector(model.replicaSelector(type));
      replicaStatuses.put(type.name(), replica);
    }
    status.setReplicaStatuses(replicaStatuses);

    if (suspended) {
      String message = "TFJob " + id + " is suspended.";
      JobConditions.set(
          status,
          JobConditionType.Running,
          ConditionStatus.False,
          TFJobReason.TFJobSuspended.name(),
          message,
          now);
      set(
          status,
          events,
          JobConditionType.Suspended,
          TFJobReason.TFJobSuspended,
          message,
          false,
          now);
      return new Result(status, events);
    }
    if (JobConditions.isTrue(status, JobConditionType.Suspended)) {
      set(
          status,
          events,
          JobConditionType.Suspended,
          ConditionStatus.False,
          TFJobReason.TFJobResumed,
          "TFJob " + id + " is resumed.",
          false,
          now);
      status.setStartTime(timestamp);
    }
    if (JobConditions.isFinished(status)) {
      return new Result(status, events);
    }

    if (succeeded(model, slots, counts)) {
      finish(status, timestamp);
      set(
          status,
          events,
          JobConditionType.Succeeded,
          TFJobReason.TFJobSucceeded,
          "TFJob " + id + " successfully completed.",
          false,
          now);
      return new Result(status, events);
    }

    Set<String> restarted =
        restarts.pods().stream()
            .map(p -> p.getMetadata().getName())
            .collect(java.util.stream.Collectors.toSet());
    for (TFReplicaType type : model.types()) {
      int permanent = permanentFailures(model, type, slots, counts.get(type), restarted);
      if (permanent > 0 && !(model.dynamicWorker() && type == TFReplicaType.Worker)) {
        finish(status, timestamp);
        set(
            status,
            events,
            JobConditionType.Failed,
            TFJobReason.TFJobFailed,
            "TFJob "
                + id
                + " has failed because "
                + permanent
                + " "
                + type.name()
                + " replica(s) failed.",
            true,
            now);
        return new Result(status, events);
      }
    }

    if (restarts.refusedByBackoffLimit() || pastBackoffLimit(model, slots)) {
      finish(status, timestamp);
      set(
          status,
          events,
          JobConditionType.Failed,
          TFJobReason.BackoffLimitExceeded,
          "TFJob " + id + " has failed because it has reached the specified backoff limit",
          true,
          now);
      return new Result(status, events);
    }

    Long deadline = job.getSpec().getRunPolicy().getActiveDeadlineSeconds();
    if (deadline != null
        && status.getStartTime() != null
        && !now.isBefore(Instant.parse(status.getStartTime()).plusSeconds(deadline))) {
      finish(status, timestamp);
      set(
          status,
          events,
          JobConditionType.Failed,
          TFJobReason.DeadlineExceeded,
          "TFJob " + id + " has failed because it was active longer than specified deadline",
          true,
          now);
      return new Result(status, events);
    }

    if (!restarts.pods().isEmpty()) {
      Map<TFReplicaType, Integer> byType = new EnumMap<>(TFReplicaType.class);
      for (Pod pod : restarts.pods()) {
        String label = pod.getMetadata().getLabels().get(JobLabels.REPLICA_TYPE);
        TFReplicaType.parse(label).ifPresent(t -> byType.merge(t, 1, Integer::sum));
      }
      Map.Entry<TFReplicaType, Integer> first = byType.entrySet().iterator().next();
      set(
          status,
          events,
          JobConditionType.Restarting,
          TFJobReason.TFJobRestarting,
          "TFJob "
              + id
              + " is restarting because "
              + first.getValue()
              + " "
              + first.getKey().name()
              + " replica(s) failed.",
          true,
          now);
    } else if (running(model, slots, counts, status)) {
      set(
          status,
          events,
          JobConditionType.Running,
          TFJobReason.TFJobRunning,
          "TFJob " + id + " is running.",
          false,
          now);
    }
    return new Result(status, events);
  }

  /** Counts of one replica type's pods by state. */
  private record Counts(int active, int succeeded, int failed) {}

  private static Counts counts(TFJobModel model, TFReplicaType type, Pod[] pods) {
    int active = 0;
    int succeeded = 0;
    int failed = 0;
    if (pods != null) {
      boolean colocated = type == TFReplicaType.Worker && model.colocatesPs();
      for (Pod pod : pods) {
        if (pod == null) {
          continue;
        }
        ReplicaState state = ReplicaState.of(pod, colocated);
        active += state.running() ? 1 : 0;
        succeeded += state.succeeded() ? 1 : 0;
        failed += state.failed() ? 1 : 0;
      }
    }
    return new Counts(active, succeeded, failed);
  }

  /** Co-located PS tasks, counted from the PS containers of the worker pods. */
  private static Counts colocatedPsCounts(Pod[] workers) {
    int active = 0;
    int succeeded = 0;
    int failed = 0;
    for (Pod pod : workers == null ? new Pod[0] : workers) {
      if (pod == null) {
        continue;
      }
      Optional<ContainerStatus> ps = Pods.container(pod, TFJobModel.PS_CONTAINER);
      if (ps.isEmpty() || ps.get().getState() == null) {
        continue;
      }
      if (ps.get().getState().getRunning() != null) {
        active++;
      } else if (ps.get().getState().getTerminated() != null) {
        Integer code = ps.get().getState().getTerminated().getExitCode();
        if (code != null && code == 0) {
          succeeded++;
        } else {
          failed++;
        }
      }
    }
    return new Counts(active, succeeded, failed);
  }

  /**
   * With a Chief/Master: it succeeded. Without: all workers succeeded, or (default success policy)
   * worker 0 did.
   */
  private static boolean succeeded(
      TFJobModel model, Map<TFReplicaType, Pod[]> slots, Map<TFReplicaType, Counts> counts) {
    if (model.hasChiefOrMaster()) {
      TFReplicaType chief =
          model.types().stream().filter(TFReplicaType::isChiefOrMaster).findFirst().orElseThrow();
      return counts.get(chief).succeeded >= model.replicas(chief);
    }
    if (!counts.containsKey(TFReplicaType.Worker)) {
      return false;
    }
    if (counts.get(TFReplicaType.Worker).succeeded >= model.replicas(TFReplicaType.Worker)) {
      return true;
    }
    Pod[] workers = slots.get(TFReplicaType.Worker);
    boolean worker0 =
        workers != null
            && workers.length > 0
            && workers[0] != null
            && ReplicaState.of(workers[0], model.colocatesPs()).succeeded();
    return worker0
        && !SuccessPolicy.ALL_WORKERS.equals(model.defaultedJob().getSpec().getSuccessPolicy());
  }

  /** Failed replicas of a type that the controller does not recreate. */
  private static int permanentFailures(
      TFJobModel model,
      TFReplicaType type,
      Map<TFReplicaType, Pod[]> slots,
      Counts counts,
      Set<String> restarted) {
    if (type == TFReplicaType.PS && model.colocatesPs()) {
      return 0; // a failed PS container fails its worker pod, judged as a worker
    }
    String policy = model.restartPolicy(type);
    int permanent = 0;
    for (Pod pod : slots.getOrDefault(type, new Pod[0])) {
      if (pod == null || restarted.contains(pod.getMetadata().getName())) {
        continue;
      }
      ReplicaState state =
          ReplicaState.of(pod, type == TFReplicaType.Worker && model.colocatesPs());
      if (state.failed() && !state.retryableUnder(policy)) {
        permanent++;
      }
    }
    return permanent;
  }

  /**
   * Upstream's PastBackoffLimit: the kubelet's in-place restarts of the containers of Always and
   * OnFailure replicas reach backoffLimit (any restart, when it is 0).
   */
  private static boolean pastBackoffLimit(TFJobModel model, Map<TFReplicaType, Pod[]> slots) {
    Integer limit = model.defaultedJob().getSpec().getRunPolicy().getBackoffLimit();
    if (limit == null) {
      return false;
    }
    int restarts = kubeletRestarts(model, slots);
    return limit == 0 ? restarts > 0 : restarts >= limit;
  }

  /** The in-place restarts of the containers of the job's Always and OnFailure replicas. */
  public static int kubeletRestarts(TFJobModel model, Map<TFReplicaType, Pod[]> slots) {
    int restarts = 0;
    for (Map.Entry<TFReplicaType, Pod[]> entry : slots.entrySet()) {
      String policy = model.restartPolicy(entry.getKey());
      if (!RestartPolicy.OnFailure.name().equals(policy)
          && !RestartPolicy.Always.name().equals(policy)) {
        continue;
      }
      for (Pod pod : entry.getValue()) {
        if (pod != null) {
          restarts += Pods.restarts(pod);
        }
      }
    }
    return restarts;
  }

  /**
   * Upstream's rule: the Chief/Master runs, or without one a worker runs. After a restart, the job
   * is Running again only once every pod is back (running, or done).
   */
  private static boolean running(
      TFJobModel model,
      Map<TFReplicaType, Pod[]> slots,
      Map<TFReplicaType, Counts> counts,
      JobStatus status) {
    if (JobConditions.isTrue(status, JobConditionType.Restarting)) {
      for (Map.Entry<TFReplicaType, Pod[]> entry : slots.entrySet()) {
        boolean colocated = entry.getKey() == TFReplicaType.Worker && model.colocatesPs();
        for (Pod pod : entry.getValue()) {
          if (pod == null) {
            return false;
          }
          ReplicaState state = ReplicaState.of(pod, colocated);
          if (!state.running() && !state.succeeded()) {
            return false;
          }
        }
      }
      return true;
    }
    if (model.hasChiefOrMaster()) {
      return model.types().stream()
          .filter(TFReplicaType::isChiefOrMaster)
          .anyMatch(t -> counts.get(t).active > 0);
    }
    return counts.containsKey(TFReplicaType.Worker) && counts.get(TFReplicaType.Worker).active > 0;
  }

  private static Integer parseIndex(String value) {
    try {
      return value == null ? null : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void finish(JobStatus status, String now) {
    if (status.getCompletionTime() == null) {
      status.setCompletionTime(now);
    }
  }

  private static void set(
      JobStatus status,
      List<StatusEvent> events,
      JobConditionType type,
      TFJobReason reason,
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
      TFJobReason reason,
      String message,
      boolean warning,
      Instant now) {
    if (JobConditions.set(status, type, value, reason.name(), message, now)) {
      events.add(new StatusEvent(warning, reason, message));
    }
  }
}
