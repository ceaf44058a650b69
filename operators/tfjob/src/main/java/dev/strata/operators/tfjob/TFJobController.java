package dev.strata.operators.tfjob;

import dev.strata.api.common.Copies;
import dev.strata.api.common.JobStatus;
import dev.strata.api.common.ManagedBy;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFJobNames;
import dev.strata.api.tfjob.TFReplicaType;
import dev.strata.api.validation.FieldError;
import dev.strata.api.validation.TFJobValidator;
import dev.strata.operators.common.EventRecorder;
import dev.strata.operators.common.JobConditions;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.common.ObjectWriter.ForeignObjectException;
import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.Pods;
import dev.strata.operators.common.ValidationFailure;
import dev.strata.operators.tfjob.model.Observed;
import dev.strata.operators.tfjob.model.ReplicaState;
import dev.strata.operators.tfjob.model.TFJobModel;
import dev.strata.operators.tfjob.model.TFJobStatusCalculator;
import dev.strata.operators.tfjob.model.TFJobStatusCalculator.Restarts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One reconcile of a TFJob: observe (the caller passes what exists), validate, act, and compute the
 * status to write. Writes go through {@link ObjectWriter}; the status is returned, not written, so
 * the caller writes it once. Never throws on bad input: a spec that fails validation finishes the
 * job as Failed (ValidationError, a Warning Event, completionTime), nothing is created for it, and
 * what it ran is cleaned up as for any failure. A write the API server refuses (quota, admission)
 * becomes a Warning Event and a retry, not an exception.
 *
 * <p>Failed pods are judged before anything is written: the ones the controller recreates
 * (ExitCode's retryable exit codes, pods the kubelet gave up on) are deleted, and their replica's
 * Service counts the restart ({@link TFJobModel#RESTARTS}), which backoffLimit reads.
 */
public final class TFJobController {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** How soon to look again when an object we need belongs to someone else. */
  static final Duration FOREIGN_OBJECT_RETRY = Duration.ofSeconds(30);

  /** How soon to try again when the API server refused a write (quota, admission). */
  static final Duration WRITE_FAILURE_RETRY = Duration.ofSeconds(10);

  private final ObjectWriter writer;
  private final EventRecorder events;
  private final Clock clock;
  private final JobPodPolicy podPolicy;

  public TFJobController(
      ObjectWriter writer, EventRecorder events, Clock clock, JobPodPolicy podPolicy) {
    this.writer = writer;
    this.events = events;
    this.clock = clock;
    this.podPolicy = podPolicy;
  }

  /**
   * What a reconcile decided: the status to write (null when unchanged), when to look again (null
   * for "on the next event"), and whether the job was deleted (its TTL expired).
   */
  public record Outcome(JobStatus status, Duration requeueAfter, boolean deleted) {
    static Outcome nothing() {
      return new Outcome(null, null, false);
    }
  }

  public Outcome reconcile(TFJob job, Observed observed) {
    if (ManagedBy.isAnother(
        job.getSpec() == null ? null : job.getSpec().getRunPolicy(), ManagedBy.TRAINING_OPERATOR)) {
      return Outcome.nothing(); // another controller (Kueue MultiKueue) owns this job
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      return Outcome.nothing(); // owner references let the garbage collector clean up
    }
    Instant now = clock.instant();
    TFJobModel model = TFJobModel.fromCrd(job, podPolicy);
    if (JobConditions.isFinished(job.getStatus())) {
      // Finished is final: a spec edited afterwards is not judged again.
      return finished(job, model, observed, Copies.deepCopy(job.getStatus()), now);
    }
    List<FieldError> errors = TFJobValidator.validate(job);
    if (!errors.isEmpty()) {
      // A spec the API server let through but upstream refuses: the job fails like any other,
      // so what it may already run is cleaned up and its TTL applies.
      return finished(
          job,
          model,
          observed,
          ValidationFailure.refuse(
              job, job.getStatus(), errors, TFJobReason.ValidationError, now, events),
          now);
    }
    Restarts restarts;
    Observed live = live(model, observed);
    try {
      requireOwned(model, observed);
      restarts = model.suspended() ? Restarts.none() : planRestarts(model, live);
    } catch (ForeignObjectException e) {
      events.warning(job, TFJobReason.ErrResourceExists, e.getMessage());
      return new Outcome(null, FOREIGN_OBJECT_RETRY, false);
    }
    // Decide the state before acting: nothing is created on the reconcile that ends the job.
    TFJobStatusCalculator.Result result = TFJobStatusCalculator.compute(model, live, restarts, now);
    JobStatus status = result.status();
    if (result.finished()) {
      events.record(job, result.events());
      return finished(job, model, observed, status, now);
    }
    try {
      if (model.suspended()) {
        deleteAll(model, observed);
      } else {
        restart(model, live, restarts);
        ensureObjects(model, observed);
      }
    } catch (ForeignObjectException e) {
      // A clash found only on create (a pod the label selectors cannot see): the Warning says it
      // and no status is written until the user resolves it.
      events.warning(job, TFJobReason.ErrResourceExists, e.getMessage());
      return new Outcome(null, FOREIGN_OBJECT_RETRY, false);
    } catch (KubernetesClientException e) {
      // Quota, admission webhooks, PodSecurity: the user must see why nothing starts.
      events.warning(
          job, TFJobReason.TFJobFailed, "could not create the job's objects: " + e.getMessage());
      events.record(job, result.events());
      return new Outcome(changed(job, status), WRITE_FAILURE_RETRY, false);
    }
    events.record(job, result.events());
    return new Outcome(changed(job, status), deadlineRequeue(model, status, now), false);
  }

  /**
   * The pods and Services that count: controlled by this job and not already terminating. A pod
   * being deleted must not stand in for a replica (nor be restarted), and one another owner
   * controls is never ours to judge. Pods beyond the wanted replicas are left out by {@link
   * TFJobStatusCalculator#bySlot}.
   */
  private static Observed live(TFJobModel model, Observed observed) {
    TFJob job = model.defaultedJob();
    return new Observed(
        observed.pods().stream()
            .filter(p -> OwnerReferences.isControlledBy(p, job))
            .filter(p -> !Pods.isTerminating(p))
            .toList(),
        observed.services().stream()
            .filter(s -> OwnerReferences.isControlledBy(s, job))
            .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
            .toList());
  }

  /** A pod or Service with one of our names that another owner controls is the user's to fix. */
  private static void requireOwned(TFJobModel model, Observed observed) {
    Set<String> names = new java.util.HashSet<>();
    for (TFReplicaType type : model.podTypes()) {
      for (int i = 0; i < model.replicas(type); i++) {
        names.add(TFJobNames.replica(model.name(), type.name(), i));
      }
    }
    for (Pod pod : observed.pods()) {
      if (names.contains(pod.getMetadata().getName())) {
        ObjectWriter.requireControlledBy(pod, model.defaultedJob());
      }
    }
    for (Service service : observed.services()) {
      if (names.contains(service.getMetadata().getName())) {
        ObjectWriter.requireControlledBy(service, model.defaultedJob());
      }
    }
  }

  /**
   * The failed pods to recreate, as long as backoffLimit allows: each recreation counts one restart
   * of the job, and a restart that would exceed the limit is refused (the job fails instead). A pod
   * whose restart its Service already counted (a cache that still shows it after its deletion) is
   * recreated without counting again.
   */
  private static Restarts planRestarts(TFJobModel model, Observed live) {
    Integer limit = model.defaultedJob().getSpec().getRunPolicy().getBackoffLimit();
    int done = controllerRestarts(live);
    Map<String, Service> services = byName(live.services());
    List<Pod> restart = new ArrayList<>();
    int counting = 0;
    boolean refused = false;
    Map<TFReplicaType, Pod[]> slots = TFJobStatusCalculator.bySlot(model, live.pods());
    for (Map.Entry<TFReplicaType, Pod[]> entry : slots.entrySet()) {
      boolean colocated = entry.getKey() == TFReplicaType.Worker && model.colocatesPs();
      for (Pod pod : entry.getValue()) {
        if (pod == null
            || !ReplicaState.of(pod, colocated)
                .retryableUnder(model.restartPolicy(entry.getKey()))) {
          continue;
        }
        if (countedOn(services.get(pod.getMetadata().getName()), pod)) {
          restart.add(pod);
        } else if (limit != null && done + counting + 1 > limit) {
          refused = true;
        } else {
          restart.add(pod);
          counting++;
        }
      }
    }
    return new Restarts(restart, refused);
  }

  /** The restarts the controller made so far: the sum of the counts on the job's Services. */
  public static int controllerRestarts(Observed observed) {
    int sum = 0;
    for (Service service : observed.services()) {
      sum += restartsOf(service);
    }
    return sum;
  }

  private static int restartsOf(Service service) {
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(TFJobModel.RESTARTS);
    try {
      return value == null ? 0 : Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether {@code service} already counted the restart of this very pod (same UID). */
  private static boolean countedOn(Service service, Pod pod) {
    if (service == null || service.getMetadata().getAnnotations() == null) {
      return false;
    }
    String uid = pod.getMetadata().getUid();
    return uid != null
        && uid.equals(service.getMetadata().getAnnotations().get(TFJobModel.RESTARTED_POD));
  }

  /**
   * Counts each restart on the replica's Service, then deletes the pod (recreated next time). The
   * pod is deleted only once the count is stored: an update refused because the cached Service is
   * stale, or a Service that is missing (recreated below), leaves the pod for the next reconcile,
   * so no restart goes uncounted; the pod's UID on the Service keeps a restart from counting twice.
   */
  private void restart(TFJobModel model, Observed live, Restarts restarts) {
    Map<String, Service> services = byName(live.services());
    for (Pod pod : restarts.pods()) {
      Service service = services.get(pod.getMetadata().getName());
      if (service == null) {
        continue;
      }
      if (!countedOn(service, pod)) {
        Service counted = Copies.deepCopy(service);
        Map<String, String> annotations =
            counted.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(counted.getMetadata().getAnnotations());
        annotations.put(TFJobModel.RESTARTS, Integer.toString(restartsOf(service) + 1));
        if (pod.getMetadata().getUid() != null) {
          annotations.put(TFJobModel.RESTARTED_POD, pod.getMetadata().getUid());
        }
        counted.getMetadata().setAnnotations(annotations);
        if (!writer.update(counted, service)) {
          continue; // the Service changed since the cache read: decided again next time
        }
      }
      writer.delete(pod);
    }
  }

  /**
   * Every replica's Service and pod exist: missing ones are created (a deleted pod comes back), and
   * pods and Services beyond the wanted replicas (scaled down) are removed.
   */
  private void ensureObjects(TFJobModel model, Observed observed) {
    TFJob job = model.defaultedJob();
    Map<String, Pod> pods = byName(observed.pods());
    Map<String, Service> services = byName(observed.services());
    for (TFReplicaType type : model.podTypes()) {
      for (int i = 0; i < model.replicas(type); i++) {
        String name = TFJobNames.replica(model.name(), type.name(), i);
        if (services.remove(name) == null) {
          writer.create(model.service(type, i));
        }
        // A pod restarted just now, or still terminating, is recreated once it is gone.
        if (pods.remove(name) == null) {
          writer.create(model.pod(type, i));
        }
      }
    }
    pods.values().stream().filter(p -> ownNotTerminating(p, job)).forEach(writer::delete);
    services.values().stream().filter(s -> ownNotTerminating(s, job)).forEach(writer::delete);
  }

  /** Ours to delete, and not deleted already: one delete each, not one per reconcile. */
  private static boolean ownNotTerminating(HasMetadata object, TFJob job) {
    return OwnerReferences.isControlledBy(object, job)
        && object.getMetadata().getDeletionTimestamp() == null;
  }

  /** Suspending deletes every pod and Service; resuming creates them anew. */
  private void deleteAll(TFJobModel model, Observed observed) {
    TFJob job = model.defaultedJob();
    observed.pods().stream().filter(p -> ownNotTerminating(p, job)).forEach(writer::delete);
    observed.services().stream().filter(s -> ownNotTerminating(s, job)).forEach(writer::delete);
  }

  /**
   * After Succeeded or Failed: clean up as cleanPodPolicy says, and honour the TTL. {@code status}
   * is the finished status (the job's own, or the one this reconcile decided).
   */
  private Outcome finished(
      TFJob job, TFJobModel model, Observed observed, JobStatus status, Instant now) {
    if (status.getCompletionTime() == null) {
      // Finished before completionTime was always set (validation failures): from now, then.
      status.setCompletionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    try {
      cleanUp(model, observed);
    } catch (KubernetesClientException e) {
      events.warning(
          job, TFJobReason.TFJobFailed, "could not clean up the job's objects: " + e.getMessage());
      return new Outcome(changed(job, status), WRITE_FAILURE_RETRY, false);
    }
    Duration left = ttlLeft(model, status, now);
    if (left != null && left.isZero()) {
      writer.delete(job);
      return new Outcome(null, null, true);
    }
    return new Outcome(changed(job, status), left, false);
  }

  /**
   * cleanPodPolicy All deletes every pod and Service; Running deletes the Running and Pending pods
   * and their Services; None leaves everything.
   */
  private void cleanUp(TFJobModel model, Observed observed) {
    TFJob job = model.defaultedJob();
    String policy = job.getSpec().getRunPolicy().getCleanPodPolicy();
    if ("All".equals(policy)) {
      deleteAll(model, observed);
    } else if ("Running".equals(policy)) {
      Map<String, Service> services = byName(observed.services());
      for (Pod pod : observed.pods()) {
        if (ownNotTerminating(pod, job) && Pods.isLive(pod)) {
          writer.delete(pod);
          Service service = services.get(pod.getMetadata().getName());
          if (service != null && ownNotTerminating(service, job)) {
            writer.delete(service);
          }
        }
      }
    }
  }

  /** Time left until the TTL deletes the finished job (zero: now), or null without a TTL. */
  private static Duration ttlLeft(TFJobModel model, JobStatus status, Instant now) {
    Integer ttl = model.defaultedJob().getSpec().getRunPolicy().getTtlSecondsAfterFinished();
    String completed = status == null ? null : status.getCompletionTime();
    if (ttl == null || completed == null) {
      return null;
    }
    Duration left = Duration.between(now, Instant.parse(completed).plusSeconds(ttl));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Duration deadlineRequeue(TFJobModel model, JobStatus status, Instant now) {
    Long deadline = model.defaultedJob().getSpec().getRunPolicy().getActiveDeadlineSeconds();
    if (deadline == null || status.getStartTime() == null || model.suspended()) {
      return null;
    }
    Duration left =
        Duration.between(now, Instant.parse(status.getStartTime()).plusSeconds(deadline));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, T> byName(
      List<T> objects) {
    return objects.stream()
        .collect(
            Collectors.toMap(
                o -> o.getMetadata().getName(),
                Function.identity(),
                (a, b) -> a,
                LinkedHashMap::new));
  }

  /** The status to write with this generation, or null when it would change nothing. */
  private static JobStatus changed(TFJob job, JobStatus status) {
    status.setObservedGeneration(job.getMetadata().getGeneration());
    Map<String, Object> before =
        job.getStatus() == null ? new HashMap<>() : JSON.convertValue(job.getStatus(), Map.class);
    Map<String, Object> after = JSON.convertValue(status, Map.class);
    return before.equals(after) ? null : status;
  }
}
