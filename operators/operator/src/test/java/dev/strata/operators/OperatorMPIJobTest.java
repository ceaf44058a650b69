package dev.strata.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator process, java-operator-sdk and informers included, against the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class OperatorMPIJobTest {
  private static final String NS = "team-a";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  KubernetesClient client;
  StrataOperator operator;

  @BeforeEach
  void start() {
    operator =
        StrataOperator.start(
            client,
            new OperatorOptions(
                Set.of(OperatorOptions.MPIJOB), Set.of(), JobPodPolicy.platform(), 4));
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  private MPIJob create(String policy) {
    MPIJob job =
        YAML.unmarshal(
            """
            apiVersion: kubeflow.org/v2beta1
            kind: MPIJob
            metadata: {name: hvd, namespace: team-a}
            spec:
              launcherCreationPolicy: %s
              mpiReplicaSpecs:
                Launcher:
                  replicas: 1
                  template: {spec: {containers: [{name: l, image: horovod, command: [mpirun, hostname]}]}}
                Worker:
                  replicas: 2
                  template: {spec: {containers: [{name: w, image: horovod}]}}
            """
                .formatted(policy),
            MPIJob.class);
    return client.resource(job).create();
  }

  private MPIJob job() {
    return client.resources(MPIJob.class).inNamespace(NS).withName("hvd").get();
  }

  private void ready(String podName) {
    Pod pod = client.pods().inNamespace(NS).withName(podName).get();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    client.resource(pod).updateStatus();
  }

  private boolean launcherExists() {
    return client.batch().v1().jobs().inNamespace(NS).withName("hvd-launcher").get() != null;
  }

  @Test
  void anAppliedJobGetsItsObjectsAndACreatedCondition() {
    create("AtStartup");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(2);
              assertThat(launcherExists()).isTrue();
              assertThat(job().getStatus()).isNotNull();
              assertThat(job().getStatus().getConditions())
                  .extracting(c -> c.getType())
                  .containsExactly("Created");
            });
    assertThat(client.configMaps().inNamespace(NS).withName("hvd-config").get()).isNotNull();
    assertThat(client.secrets().inNamespace(NS).withName("hvd-ssh").get()).isNotNull();
    // The upstream YAML has no toleration; the platform's pods must still reach the virtual node.
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .allSatisfy(
            pod ->
                assertThat(pod.getSpec().getTolerations())
                    .containsExactly(JobPodPolicy.virtualNodeToleration()));
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName("hvd-launcher")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTolerations())
        .containsExactly(JobPodPolicy.virtualNodeToleration());
  }

  @Test
  void waitForWorkersReadyCreatesTheLauncherWhenThePodEventsSayTheLastWorkerIsReady() {
    create("WaitForWorkersReady");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.pods().inNamespace(NS).list().getItems().size() == 2);

    ready("hvd-worker-0");
    // One Ready worker of two is not enough; give the operator time to act on that event.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !launcherExists());

    ready("hvd-worker-1");
    await().atMost(Duration.ofSeconds(10)).until(this::launcherExists);
  }
}
