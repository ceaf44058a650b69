package dev.strata.operators.tfjob;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.KubernetesEventRecorder;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.common.SettableClock;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRUD mock API server with a TFJob controller wired to it, driven one reconcile at a time, and
 * the hand-made stand-in for what a real cluster would do: the kubelet running pods, ending their
 * containers with an exit code, and restarting them as the pod's restartPolicy says. The clock is
 * settable so TTL and deadlines need no sleeping.
 */
final class MockCluster {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final String NAMESPACE = "team-a";

  final KubernetesClient client;
  final SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
  final TFJobController controller;
  final ApiObserver observer;

  MockCluster(KubernetesClient client) {
    this.client = client;
    this.controller =
        new TFJobController(
            new ObjectWriter(client),
            new KubernetesEventRecorder(client, "tfjob-controller", clock),
            clock,
            dev.strata.operators.common.JobPodPolicy.gangs());
    this.observer = new ApiObserver(client);
  }

  static Path upstream() {
    String root = System.getProperty("strata.root", "../..");
    return Path.of(root).resolveSibling("shared").resolve("compat/upstream/training-operator");
  }

  /** A TFJob from YAML text, created in {@link #NAMESPACE}. */
  TFJob create(String yaml) {
    TFJob job = SERIALIZATION.unmarshal(yaml, TFJob.class);
    job.getMetadata().setNamespace(NAMESPACE);
    return client.resource(job).create();
  }

  TFJob job(String name) {
    return client.resources(TFJob.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** One reconcile, its status written as the operator would; returns the outcome. */
  TFJobController.Outcome reconcile(String name) {
    TFJob job = job(name);
    TFJobController.Outcome outcome = controller.reconcile(job, observer.observe(job));
    if (outcome.status() != null) {
      job.setStatus(outcome.status());
      client.resource(job).updateStatus();
    }
    return outcome;
  }

  /** Changes the stored job's spec, as kubectl edit would. */
  void edit(String name, java.util.function.Consumer<TFJob> change) {
    TFJob job = job(name);
    change.accept(job);
    client.resource(job).update();
  }

  List<Pod> pods() {
    return client.pods().inNamespace(NAMESPACE).list().getItems();
  }

  List<String> podNames() {
    return pods().stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  Pod pod(String name) {
    return client.pods().inNamespace(NAMESPACE).withName(name).get();
  }

  List<Service> services() {
    return client.services().inNamespace(NAMESPACE).list().getItems();
  }

  List<String> serviceNames() {
    return services().stream().map(s -> s.getMetadata().getName()).sorted().toList();
  }

  Service service(String name) {
    return client.services().inNamespace(NAMESPACE).withName(name).get();
  }

  List<Event> events() {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems();
  }

  List<String> eventReasons() {
    return events().stream().map(Event::getReason).toList();
  }

  String conditions(String job) {
    var status = job(job).getStatus();
    if (status == null || status.getConditions() == null) {
      return "";
    }
    return String.join(
        ",", status.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).toList());
  }

  /** The condition set last. */
  dev.strata.api.common.JobCondition last(String job) {
    var conditions = job(job).getStatus().getConditions();
    return conditions.get(conditions.size() - 1);
  }

  /** The last condition that is True: what kubectl's State column shows. */
  String state(String job) {
    var conditions = job(job).getStatus().getConditions();
    var last = conditions.get(conditions.size() - 1);
    return last.getType() + (last.getStatus().equals("True") ? "" : "=" + last.getStatus());
  }

  static String env(Pod pod, String container, String name) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> container.equals(c.getName()))
        .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
        .filter(e -> name.equals(e.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  // ---- the kubelet ---------------------------------------------------------------------------

  /** The pod's containers all run. */
  void run(String podName) {
    Pod pod = pod(podName);
    List<ContainerStatus> statuses = new ArrayList<>();
    for (var container : pod.getSpec().getContainers()) {
      statuses.add(
          new ContainerStatusBuilder()
              .withName(container.getName())
              .withRestartCount(restartCount(pod, container.getName()))
              .withState(new ContainerStateBuilder().withNewRunning().endRunning().build())
              .build());
    }
    pod.setStatus(
        new PodStatusBuilder().withPhase("Running").withContainerStatuses(statuses).build());
    client.resource(pod).updateStatus();
  }

  void runAll() {
    pods().forEach(p -> run(p.getMetadata().getName()));
  }

  /**
   * The tensorflow container exits with {@code code}; the kubelet does what the pod's restartPolicy
   * says: Never leaves the pod Succeeded or Failed, OnFailure restarts a failed container in place
   * (the pod keeps Running), Always restarts it whatever the code.
   */
  void exit(String podName, int code) {
    Pod pod = pod(podName);
    String policy = pod.getSpec().getRestartPolicy();
    boolean restartsInPlace = "Always".equals(policy) || ("OnFailure".equals(policy) && code != 0);
    int restarts = restartCount(pod, "tensorflow");
    var terminated =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(code)
            .withReason(code == 0 ? "Completed" : "Error")
            .endTerminated()
            .build();
    List<ContainerStatus> statuses = new ArrayList<>();
    for (var container : pod.getSpec().getContainers()) {
      boolean main = "tensorflow".equals(container.getName());
      ContainerStatusBuilder status =
          new ContainerStatusBuilder()
              .withName(container.getName())
              .withRestartCount(restartCount(pod, container.getName()));
      if (main && restartsInPlace) {
        status
            .withRestartCount(restarts + 1)
            .withLastState(terminated)
            .withState(new ContainerStateBuilder().withNewRunning().endRunning().build());
      } else if (main) {
        status.withState(terminated);
      } else {
        status.withState(new ContainerStateBuilder().withNewRunning().endRunning().build());
      }
      statuses.add(status.build());
    }
    boolean others = pod.getSpec().getContainers().size() > 1;
    String phase = restartsInPlace || others ? "Running" : code == 0 ? "Succeeded" : "Failed";
    pod.setStatus(new PodStatusBuilder().withPhase(phase).withContainerStatuses(statuses).build());
    client.resource(pod).updateStatus();
  }

  void succeed(String podName) {
    exit(podName, 0);
  }

  void deletePod(String podName) {
    client.pods().inNamespace(NAMESPACE).withName(podName).delete();
  }

  private static int restartCount(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .map(s -> s.getRestartCount() == null ? 0 : s.getRestartCount())
        .findFirst()
        .orElse(0);
  }
}
