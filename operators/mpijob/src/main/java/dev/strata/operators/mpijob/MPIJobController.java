package dev.strata.operators.mpijob;

import dev.strata.api.common.Copies;
import dev.strata.api.common.JobStatus;
import dev.strata.api.common.ManagedBy;
import dev.strata.api.common.ReplicaStatus;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.api.mpijob.MPIReplicaType;
import dev.strata.api.validation.FieldError;
import dev.strata.api.validation.MPIJobValidator;
import dev.strata.operators.common.EventRecorder;
import dev.strata.operators.common.JobConditions;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.common.ObjectWriter.ForeignObjectException;
import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.Pods;
import dev.strata.operators.common.ValidationFailure;
import dev.strata.operators.mpijob.model.MPIJobModel;
import dev.strata.operators.mpijob.model.MPIJobStatusCalculator;
import dev.strata.operators.mpijob.model.Observed;
import dev.strata.operators.mpijob.ssh.SshKeyPair;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One reconcile of an MPIJob: observe (the caller passes what exists), validate, act, and compute
 * the status to write. Writes go through {@link ObjectWriter}; the status is returned, not written,
 * so the caller writes it once. Never throws on bad input: a spec that fails validation becomes a
 * Failed condition and a Warning Event, and nothing is created for it.
 */
public final class MPIJobController {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** How soon to look again when an object we need belongs to someone else. */
  static final Duration FOREIGN_OBJECT_RETRY = Duration.ofSeconds(30);

  /** How soon to try again when the API server refused a write (quota, admission). */
  static final Duration WRITE_FAILURE_RETRY = Duration.ofSeconds(10);

  private final ObjectWriter writer;
  private final EventRecorder events;
  private final Clock clock;
  private final Supplier<SshKeyPair> keys;
  private final JobPodPolicy podPolicy;

  public MPIJobController(
      ObjectWriter writer,
      EventRecorder events,
      Clock clock,
      Supplier<SshKeyPair> keys,
      JobPodPolicy podPolicy) {
    this.writer = writer;
    this.events = events;
    this.clock = clock;
    this.keys = keys;
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

  public Outcome reconcile(MPIJob job, Observed observed) {
    if (ManagedBy.isAnother(
        job.getSpec() == null ? null : job.getSpec().getRunPolicy(), ManagedBy.MPI_OPERATOR)) {
      return Outcome.nothing(); // another controller (Kueue MultiKueue) owns this job
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      return Outcome.nothing(); // owner references let the garbage collector clean up
    }
    Instant now = clock.instant();
    MPIJobModel model = MPIJobModel.fromCrd(job, podPolicy);
    if (JobConditions.isFinished(job.getStatus())) {
      return finished(job, model, observed, Copies.deepCopy(job.getStatus()), now);
    }
    List<FieldError> errors = MPIJobValidator.validate(job);
    if (!errors.isEmpty()) {
      // A spec the API server let through (no CEL rules there) but upstream refuses: the job
      // fails, and what it may already run is stopped and cleaned up as for any failure.
      return finished(
          job,
          model,
          observed,
          ValidationFailure.refuse(
              job, job.getStatus(), errors, MPIJobReason.ValidationError, now, events),
          now);
    }
    try {
      refuseForeignObjects(model, observed);
    } catch (ForeignObjectException e) {
      events.warning(job, MPIJobReason.ErrResourceExists, e.getMessage());
      return new Outcome(null, FOREIGN_OBJECT_RETRY, false);
    }
    Observed live = live(model, observed);
    // Decide the state before acting: nothing is created on the reconcile that ends the job.
    MPIJobStatusCalculator.Result result = MPIJobStatusCalculator.compute(model, live, now);
    JobStatus status = result.status();
    if (JobConditions.isFinished(status)) {
      events.record(job, result.events());
      // Clean up and schedule the TTL now: writing the status changes no generation, so no
      // further reconcile is certain to follow this one.
      return finished(job, model, observed, status, now);
    }
    try {
      ensureObjects(model, observed, live);
    } catch (ForeignObjectException e) {
      // A clash found only on create (a pod the label selectors cannot see): as for the others,
      // the Warning says it and no status is written until the user resolves it.
      events.warning(job, MPIJobReason.ErrResourceExists, e.getMessage());
      return new Outcome(null, FOREIGN_OBJECT_RETRY, false);
    } catch (KubernetesClientException e) {
      // Quota, admission webhooks, PodSecurity: the user must see why nothing starts.
      events.warning(
          job, MPIJobReason.MPIJobFailed, "could not create the job's objects: " + e.getMessage());
      events.record(job, result.events());
      return new Outcome(changed(job, status), WRITE_FAILURE_RETRY, false);
    }
    events.record(job, result.events());
    return new Outcome(changed(job, status), deadlineRequeue(model, status, now), false);
  }

  /**
   * Checked before anything is created: a launcher mounting someone else's ConfigMap or Secret must
   * never start.
   */
  private static void refuseForeignObjects(MPIJobModel model, Observed observed) {
    MPIJob job = model.defaultedJob();
    for (HasMetadata object :
        java.util.Arrays.asList(
            observed.service(),
            observed.configMap(),
            observed.sshSecret(),
            observed.serviceAccount(),
            observed.role(),
            observed.roleBinding(),
            observed.launcher())) {
      ObjectWriter.requireControlledBy(object, job);
    }
  }

  /**
   * The workers that count: controlled by this job, not already terminating, and wanted by the
   * spec. Extra pods left by a scale-down and pods being deleted must not stand in for a worker (a
   * fast suspend and resume would otherwise start the launcher on pods that are going away).
   */
  private static Observed live(MPIJobModel model, Observed observed) {
    MPIJob job = model.defaultedJob();
    Set<String> wanted =
        IntStream.range(0, model.workerReplicas())
            .mapToObj(i -> MPIJobNames.worker(job.getMetadata().getName(), i))
            .collect(Collectors.toSet());
    List<Pod> workers =
        observed.workers().stream()
            .filter(p -> OwnerReferences.isControlledBy(p, job))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> wanted.contains(p.getMetadata().getName()))
            .toList();
    return new Observed(
        observed.service(),
        observed.configMap(),
        observed.sshSecret(),
        observed.serviceAccount(),
        observed.role(),
        observed.roleBinding(),
        observed.launcher(),
        observed.launcherPods(),
        workers);
  }

  private void ensureObjects(MPIJobModel model, Observed observed, Observed live) {
    MPIJob job = model.defaultedJob();
    createOrUpdate(
        model.service(),
        observed.service(),
        job,
        s -> List.of(s.getSpec().getSelector(), s.getSpec().getPublishNotReadyAddresses()));
    // The key pair is made once per job and never replaced: running pods hold it.
    createIfAbsent(observed.sshSecret(), job, () -> model.sshSecret(keys.get()));
    createIfAbsent(observed.serviceAccount(), job, model::launcherServiceAccount);
    createOrUpdate(model.launcherRole(), observed.role(), job, MPIJobController::rulesOf);
    createIfAbsent(observed.roleBinding(), job, model::launcherRoleBinding);
    if (model.suspended()) {
      suspend(model, observed);
    } else {
      ensureWorkers(model, observed);
      ensureLauncher(model, live);
    }
    // Last: the hosts file changes as workers start, and a conflict here must not hold up the
    // workers or the launcher.
    List<String> running =
        live.workers().stream()
            .filter(Pods::isRunning)
            .map(p -> p.getMetadata().getName())
            .toList();
    createOrUpdate(model.configMap(running), observed.configMap(), job, ConfigMap::getData);
  }

  /**
   * Suspending deletes the workers and suspends the launcher Job, which removes its pods. A job
   * suspended from the start gets its launcher Job already suspended under AtStartup, as upstream
   * creates it; WaitForWorkersReady creates it only once workers are Ready.
   */
  private void suspend(MPIJobModel model, Observed observed) {
    Job launcher = observed.launcher();
    if (launcher == null && !model.waitsForWorkersReady()) {
      writer.create(model.launcherJob(true));
    }
    if (launcher != null && !Boolean.TRUE.equals(launcher.getSpec().getSuspend())) {
      ObjectWriter.requireControlledBy(launcher, model.defaultedJob());
      Job suspended = Copies.deepCopy(launcher);
      suspended.getSpec().setSuspend(true);
      writer.update(suspended, launcher);
    }
    observed.workers().stream()
        .filter(p -> OwnerReferences.isControlledBy(p, model.defaultedJob()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .forEach(writer::delete);
  }

  private void ensureWorkers(MPIJobModel model, Observed observed) {
    MPIJob job = model.defaultedJob();
    Map<String, Pod> byName =
        observed.workers().stream()
            .collect(
                Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a));
    boolean recovers = MPIJobStatusCalculator.recoversFromEviction(model);
    for (int i = 0; i < model.workerReplicas(); i++) {
      Pod existing = byName.remove(MPIJobNames.worker(job.getMetadata().getName(), i));
      if (existing == null) {
        writer.create(model.worker(i));
      } else {
        ObjectWriter.requireControlledBy(existing, job);
        if (recovers && Pods.isEvicted(existing)) {
          writer.delete(existing); // recreated under the same name on the next reconcile
        }
      }
    }
    // What is left is beyond the wanted replicas (scaled down) and ours to remove.
    byName.values().stream()
        .filter(p -> OwnerReferences.isControlledBy(p, job))
        .forEach(writer::delete);
  }

  /**
   * AtStartup creates the launcher with the workers. WaitForWorkersReady creates it, or resumes a
   * suspended one, on the reconcile that sees the last worker Ready (pod events drive that
   * reconcile; nothing polls). Upstream resumes a suspended launcher at once, before the workers
   * are back; Strata waits for them in both cases.
   */
  private void ensureLauncher(MPIJobModel model, Observed observed) {
    boolean mayStart = !model.waitsForWorkersReady() || allWorkersReady(model, observed);
    Job launcher = observed.launcher();
    if (launcher == null) {
      if (mayStart) {
        writer.create(model.launcherJob(false));
      }
      return;
    }
    ObjectWriter.requireControlledBy(launcher, model.defaultedJob());
    if (Boolean.TRUE.equals(launcher.getSpec().getSuspend()) && mayStart) {
      Job resumed = Copies.deepCopy(launcher);
      resumed.getSpec().setSuspend(false);
      writer.update(resumed, launcher);
    }
  }

  private static boolean allWorkersReady(MPIJobModel model, Observed observed) {
    long ready = observed.workers().stream().filter(Pods::isReady).count();
    return ready == model.workerReplicas();
  }

  /**
   * A job that failed for its own reasons (deadline, eviction) while its launcher still runs must
   * not keep the launcher's pods: suspending the launcher Job stops them and keeps the Job, with
   * its history, for inspection.
   */
  private void stopLauncher(MPIJobModel model, Observed observed) {
    Job launcher = observed.launcher();
    if (launcher == null
        || !OwnerReferences.isControlledBy(launcher, model.defaultedJob())
        || Boolean.TRUE.equals(launcher.getSpec().getSuspend())
        || launcherFinished(launcher)) {
      return;
    }
    Job stopped = Copies.deepCopy(launcher);
    stopped.getSpec().setSuspend(true);
    writer.update(stopped, launcher);
  }

  private static boolean launcherFinished(Job launcher) {
    return launcher.getStatus() != null
        && launcher.getStatus().getConditions() != null
        && launcher.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  /**
   * After Succeeded or Failed: clean pods up as cleanPodPolicy says, and honour the TTL. Like
   * upstream, a policy that cleans up (Running, All) leaves no active worker in the status.
   *
   * @param status the status to write, changed here in place
   */
  private Outcome finished(
      MPIJob job, MPIJobModel model, Observed observed, JobStatus status, Instant now) {
    stopLauncher(model, observed);
    String policy = model.defaultedJob().getSpec().getRunPolicy().getCleanPodPolicy();
    for (Pod worker : observed.workers()) {
      if (!OwnerReferences.isControlledBy(worker, model.defaultedJob())
          || worker.getMetadata().getDeletionTimestamp() != null) {
        continue; // not ours, or already going: one delete each
      }
      if ("All".equals(policy) || ("Running".equals(policy) && Pods.isLive(worker))) {
        writer.delete(worker);
      }
    }
    ReplicaStatus workers =
        status.getReplicaStatuses() == null
            ? null
            : status.getReplicaStatuses().get(MPIReplicaType.Worker.name());
    if (workers != null && ("All".equals(policy) || "Running".equals(policy))) {
      workers.setActive(0);
    }
    Integer ttl = model.defaultedJob().getSpec().getRunPolicy().getTtlSecondsAfterFinished();
    String completed = status.getCompletionTime();
    if (ttl == null || completed == null) {
      return new Outcome(changed(job, status), null, false);
    }
    Duration left = Duration.between(now, Instant.parse(completed).plusSeconds(ttl));
    if (left.isNegative() || left.isZero()) {
      events.normal(
          job, MPIJobReason.TTLExpired, "ttlSecondsAfterFinished (" + ttl + "s) passed: deleting");
      writer.delete(job);
      return new Outcome(null, null, true);
    }
    return new Outcome(changed(job, status), left, false);
  }

  private <T extends HasMetadata> void createOrUpdate(
      T desired, T observed, MPIJob owner, Function<T, Object> contentOf) {
    if (observed == null) {
      writer.create(desired);
      return;
    }
    ObjectWriter.requireControlledBy(observed, owner);
    if (!Objects.equals(contentOf.apply(desired), contentOf.apply(observed))) {
      writer.update(desired, observed);
    }
  }

  private void createIfAbsent(HasMetadata observed, MPIJob owner, Supplier<HasMetadata> desired) {
    ObjectWriter.requireControlledBy(observed, owner);
    if (observed == null) {
      writer.create(desired.get());
    }
  }

  /** No rules and an empty list are the same Role; the API server may return either. */
  private static List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rulesOf(
      io.fabric8.kubernetes.api.model.rbac.Role role) {
    return role.getRules() == null ? List.of() : role.getRules();
  }

  private static Duration deadlineRequeue(MPIJobModel model, JobStatus status, Instant now) {
    Long deadline = model.defaultedJob().getSpec().getRunPolicy().getActiveDeadlineSeconds();
    if (deadline == null
        || model.suspended()
        || status.getStartTime() == null
        || JobConditions.isFinished(status)) {
      return null;
    }
    Duration left =
        Duration.between(now, Instant.parse(status.getStartTime()).plusSeconds(deadline));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The status to write with this generation, or null when it would change nothing. */
  private static JobStatus changed(MPIJob job, JobStatus status) {
    status.setObservedGeneration(job.getMetadata().getGeneration());
    Map<String, Object> before =
        job.getStatus() == null ? new HashMap<>() : JSON.convertValue(job.getStatus(), Map.class);
    Map<String, Object> after = JSON.convertValue(status, Map.class);
    return before.equals(after) ? null : status;
  }
}
