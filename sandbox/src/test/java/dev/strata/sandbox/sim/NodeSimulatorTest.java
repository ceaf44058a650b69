package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NodeSimulatorTest {
  /** Generous: the CI machines are shared and slow at times; passing takes far less. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String NS = "tenant-a";
  KubernetesClient client;
  NodeSimulator simulator;

  @BeforeEach
  void start() {
    ComputeNodeInventory.createIn(client, NodeInventorySpec.parse("v100=1,p100=1"));
    simulator = NodeSimulator.start(client);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private Pod create(String name, String node, Map<String, String> annotations, PodBuilder extra) {
    Pod pod =
        extra
            .editOrNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withAnnotations(annotations)
            .endMetadata()
            .editOrNewSpec()
            .withNodeName(node)
            .endSpec()
            .build();
    if (pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
      pod.getSpec()
          .setContainers(
              List.of(
                  new io.fabric8.kubernetes.api.model.ContainerBuilder()
                      .withName("main")
                      .withImage("trainer")
                      .build()));
    }
    if (pod.getSpec().getRestartPolicy() == null) {
      pod.getSpec().setRestartPolicy("Never");
    }
    return client.resource(pod).create();
  }

  private Pod get(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private static String phase(Pod pod) {
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static PodCondition condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aBoundPodRunsWithAnIpFromItsNodeThenSucceedsAfterItsRunSeconds() {
    create("train", "v100-00", Map.of(SimulatedRun.RUN_SECONDS, "1"), new PodBuilder());

    await().atMost(TIMEOUT).until(() -> "Running".equals(phase(get("train"))));
    Pod running = get("train");
    assertThat(running.getStatus().getPodIP()).startsWith("10.244.0.");
    assertThat(running.getStatus().getHostIP()).isEqualTo("192.168.0.10");
    assertThat(running.getStatus().getStartTime()).isNotNull();
    assertThat(running.getStatus().getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .contains(
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"),
            org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
            org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"),
            org.assertj.core.groups.Tuple.tuple("Ready", "True"));
    ContainerStatus container = running.getStatus().getContainerStatuses().get(0);
    assertThat(container.getName()).isEqualTo("main");
    assertThat(container.getReady()).isTrue();
    assertThat(container.getStarted()).isTrue();
    assertThat(container.getState().getRunning()).isNotNull();

    await().atMost(TIMEOUT).until(() -> "Succeeded".equals(phase(get("train"))));
    ContainerStatus done = get("train").getStatus().getContainerStatuses().get(0);
    assertThat(done.getState().getTerminated().getExitCode()).isZero();
    assertThat(done.getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(condition(get("train"), "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aNonZeroExitCodeFailsThePod() {
    create(
        "crash",
        "p100-00",
        Map.of(SimulatedRun.RUN_SECONDS, "0.3", SimulatedRun.EXIT_CODE, "3"),
        new PodBuilder());

    await().atMost(TIMEOUT).until(() -> "Failed".equals(phase(get("crash"))));
    var terminated =
        get("crash").getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    assertThat(get("crash").getStatus().getPodIP()).startsWith("10.244.1.");
  }

  @Test
  void onFailureRestartsTheContainerInsteadOfFailingThePod() {
    create(
        "flaky",
        "v100-00",
        Map.of(SimulatedRun.RUN_SECONDS, "0.2", SimulatedRun.EXIT_CODE, "1"),
        new PodBuilder().withNewSpec().withRestartPolicy("OnFailure").endSpec());

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                get("flaky").getStatus() != null
                    && get("flaky").getStatus().getContainerStatuses() != null
                    && get("flaky").getStatus().getContainerStatuses().get(0).getRestartCount()
                        >= 2);
    assertThat(phase(get("flaky"))).isEqualTo("Running");
  }

  @Test
  void anSshdWorkerRunsUntilDeleted() {
    create(
        "worker",
        "v100-00",
        Map.of(SimulatedRun.RUN_SECONDS, "0.2"),
        new PodBuilder()
            .withNewSpec()
            .addNewContainer()
            .withName("worker")
            .withImage("mpi")
            .withCommand("/usr/sbin/sshd")
            .withArgs("-De")
            .endContainer()
            .endSpec());

    await().atMost(TIMEOUT).until(() -> "Running".equals(phase(get("worker"))));
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> "Running".equals(phase(get("worker"))));

    client.pods().inNamespace(NS).withName("worker").delete();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> get("worker") == null);
  }

  @Test
  void aPodWhoseClaimIsMissingStaysPendingNamingItUntilTheClaimExists() {
    create(
        "needs-data",
        "v100-00",
        Map.of(SimulatedRun.RUN_SECONDS, "30"),
        new PodBuilder()
            .withNewSpec()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("imagenet")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec());

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                get("needs-data").getStatus() != null
                    && get("needs-data").getStatus().getConditions() != null);
    Pod waiting = get("needs-data");
    assertThat(phase(waiting)).isEqualTo("Pending");
    assertThat(condition(waiting, "ContainersReady").getStatus()).isEqualTo("False");
    assertThat(condition(waiting, "ContainersReady").getMessage())
        .isEqualTo("persistentvolumeclaim \"imagenet\" not found");
    assertThat(
            waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("FailedMount"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> "Pending".equals(phase(get("needs-data"))));

    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("imagenet")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();
    await().atMost(TIMEOUT).until(() -> "Running".equals(phase(get("needs-data"))));
  }

  @Test
  void podsNotBoundToASimulatedNodeAreLeftAlone() {
    create("unbound", null, Map.of(), new PodBuilder());
    create("elsewhere", "some-real-node", Map.of(), new PodBuilder());
    create("marker", "v100-00", Map.of(SimulatedRun.RUN_SECONDS, "30"), new PodBuilder());

    // Pods are handled in order: once the last one runs, the first two were looked at.
    await().atMost(TIMEOUT).until(() -> "Running".equals(phase(get("marker"))));
    assertThat(phase(get("unbound"))).isNull();
    assertThat(phase(get("elsewhere"))).isNull();
  }
}
