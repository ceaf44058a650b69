package dev.strata.operators.mpijob;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.common.KubernetesEventRecorder;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.common.SettableClock;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A CRUD mock API server with an MPIJob controller wired to it, driven one reconcile at a time, and
 * the hand-made stand-ins for what a real cluster would do (the kubelet moving pods, the Job
 * controller finishing the launcher). The clock is settable so TTL and deadlines need no sleeping.
 */
final class MockCluster {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final String NAMESPACE = "team-a";

  final KubernetesClient client;
  final SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
  final MPIJobController controller;
  final ApiObserver observer;

  MockCluster(KubernetesClient client) {
    this.client = client;
    this.controller =
        new MPIJobController(
            new ObjectWriter(client),
            new KubernetesEventRecorder(client, "mpijob-controller", clock),
            clock,
            SshKeyPairGenerator::generate,
            dev.strata.operators.common.JobPodPolicy.gangs());
    this.observer = new ApiObserver(client);
  }

  /** An MPIJob from YAML text, created in {@link #NAMESPACE}. */
  MPIJob create(String yaml) {
    MPIJob job = SERIALIZATION.unmarshal(yaml, MPIJob.class);
    job.getMetadata().setNamespace(NAMESPACE);
    return client.resource(job).create();
  }

  /** An MPIJob built in Java, created in {@link #NAMESPACE}. */
  MPIJob create(MPIJob job) {
    job.getMetadata().setNamespace(NAMESPACE);
    return client.resource(job).create();
  }

  /** A user's edit of the job's spec (suspend, resume, scale). */
  MPIJob edit(String name, java.util.function.Consumer<MPIJob> change) {
    MPIJob job = job(name);
    change.accept(job);
    return client.resource(job).update();
  }

  /** An upstream example, created in {@link #NAMESPACE}. */
  MPIJob createUpstream(String fileName) throws java.io.IOException {
    return create(Files.readString(upstream().resolve(fileName)));
  }

  static Path upstream() {
    String root = System.getProperty("strata.root", "../..");
    return Path.of(root).resolveSibling("shared").resolve("compat/upstream/mpi-operator");
  }

  MPIJob job(String name) {
    return client.resources(MPIJob.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** One reconcile, its status written as the operator would; returns the outcome. */
  MPIJobController.Outcome reconcile(String name) {
    MPIJob job = job(name);
    MPIJobController.Outcome outcome = controller.reconcile(job, observer.observe(job));
    if (outcome.status() != null) {
      job.setStatus(outcome.status());
      client.resource(job).updateStatus();
    }
    return outcome;
  }

  List<Pod> pods() {
    return client.pods().inNamespace(NAMESPACE).list().getItems();
  }

  Pod pod(String name) {
    return client.pods().inNamespace(NAMESPACE).withName(name).get();
  }

  Job launcher(String job) {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job + "-launcher").get();
  }

  List<Event> events() {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems();
  }

  List<String> eventReasons() {
    return events().stream().map(Event::getReason).toList();
  }

  /** The kubelet's part: a pod reaches a phase, Ready when Running. */
  void setPhase(String podName, String phase) {
    Pod pod = pod(podName);
    PodCondition ready =
        new PodConditionBuilder()
            .withType("Ready")
            .withStatus("Running".equals(phase) ? "True" : "False")
            .build();
    pod.setStatus(new PodStatusBuilder().withPhase(phase).withConditions(ready).build());
    client.resource(pod).updateStatus();
  }

  /** The kubelet's part: a pod Running whose readiness is as given (Ready may lag Running). */
  void setRunning(String podName, boolean ready) {
    Pod pod = pod(podName);
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .build());
    client.resource(pod).updateStatus();
  }

  void deletePod(String podName) {
    client.pods().inNamespace(NAMESPACE).withName(podName).delete();
  }

  /** The Job controller's part: a launcher pod that failed, created at the given time. */
  Pod failedLauncherPod(String job, String podName, String created, String reason, String msg) {
    Job launcher = launcher(job);
    Pod pod = new Pod();
    pod.setMetadata(SERIALIZATION.clone(launcher.getSpec().getTemplate().getMetadata()));
    pod.getMetadata().setName(podName);
    pod.getMetadata().setNamespace(NAMESPACE);
    pod.getMetadata().setCreationTimestamp(created);
    pod.setSpec(SERIALIZATION.clone(launcher.getSpec().getTemplate().getSpec()));
    client.resource(pod).create();
    Pod stored = pod(podName);
    stored.setStatus(
        new PodStatusBuilder().withPhase("Failed").withReason(reason).withMessage(msg).build());
    client.resource(stored).updateStatus();
    return pod(podName);
  }

  /**
   * Every object in the namespace by kind and name, with its resource version: equal snapshots mean
   * nothing was written in between.
   */
  java.util.Map<String, String> snapshot() {
    java.util.Map<String, String> versions = new java.util.TreeMap<>();
    java.util.List<io.fabric8.kubernetes.api.model.HasMetadata> all = new java.util.ArrayList<>();
    all.addAll(client.resources(MPIJob.class).inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.services().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.configMaps().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.secrets().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.serviceAccounts().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.rbac().roles().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.rbac().roleBindings().inNamespace(NAMESPACE).list().getItems());
    all.addAll(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems());
    all.addAll(pods());
    all.addAll(events());
    for (var object : all) {
      versions.put(
          object.getKind() + "/" + object.getMetadata().getName(),
          object.getMetadata().getResourceVersion());
    }
    return versions;
  }

  void evict(String podName) {
    Pod pod = pod(podName);
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .build());
    client.resource(pod).updateStatus();
  }

  /**
   * As the virtual node reports a worker whose compute pod the compute scheduler preempted: Failed,
   * reason Preempted, with the DisruptionTarget condition.
   */
  void preempt(String podName) {
    Pod pod = pod(podName);
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Preempted")
            .withMessage("Preempted by HIGH work of another tenant, which needs its GPUs back")
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("PreemptionByScheduler")
            .withMessage("Preempted by HIGH work of another tenant, which needs its GPUs back")
            .endCondition()
            .build());
    client.resource(pod).updateStatus();
  }

  /** The Job controller's part: a launcher pod, running. */
  Pod startLauncherPod(String job) {
    Job launcher = launcher(job);
    Pod pod = new Pod();
    pod.setMetadata(SERIALIZATION.clone(launcher.getSpec().getTemplate().getMetadata()));
    pod.getMetadata().setName(job + "-launcher-abcde");
    pod.getMetadata().setNamespace(NAMESPACE);
    pod.setSpec(SERIALIZATION.clone(launcher.getSpec().getTemplate().getSpec()));
    client.resource(pod).create();
    setPhase(pod.getMetadata().getName(), "Running");
    return pod(pod.getMetadata().getName());
  }

  /** The Job controller's part: the launcher Job finishes with the given condition. */
  void finishLauncher(String job, String conditionType, String reason, String message) {
    Job launcher = launcher(job);
    launcher.setStatus(
        new JobStatusBuilder()
            .withSucceeded("Complete".equals(conditionType) ? 1 : 0)
            .withFailed("Failed".equals(conditionType) ? 1 : 0)
            .withCompletionTime(clock.instant().toString())
            .withConditions(
                new JobConditionBuilder()
                    .withType(conditionType)
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage(message)
                    .build())
            .build());
    client.resource(launcher).updateStatus();
  }
}
