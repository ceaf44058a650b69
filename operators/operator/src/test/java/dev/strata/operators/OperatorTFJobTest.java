package dev.strata.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator with the TFJob controller, informers included, against the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class OperatorTFJobTest {
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
                Set.of(OperatorOptions.TFJOB), Set.of(), JobPodPolicy.platform(), 4));
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  private TFJob job() {
    return client.resources(TFJob.class).inNamespace(NS).withName("mnist").get();
  }

  private void phase(String podName, String phase) {
    Pod pod = client.pods().inNamespace(NS).withName(podName).get();
    pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
    client.resource(pod).updateStatus();
  }

  @Test
  void anAppliedJobRunsToSuccessDrivenByPodEvents() {
    client
        .resource(
            YAML.unmarshal(
                """
                apiVersion: kubeflow.org/v1
                kind: TFJob
                metadata: {name: mnist, namespace: team-a}
                spec:
                  tfReplicaSpecs:
                    PS:
                      replicas: 1
                      template: {spec: {containers: [{name: tensorflow, image: tf}]}}
                    Worker:
                      replicas: 2
                      template: {spec: {containers: [{name: tensorflow, image: tf}]}}
                """,
                TFJob.class))
        .create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(3);
              assertThat(client.services().inNamespace(NS).list().getItems()).hasSize(3);
              assertThat(job().getStatus()).isNotNull();
              assertThat(job().getStatus().getConditions())
                  .extracting(c -> c.getType())
                  .containsExactly("Created");
            });

    phase("mnist-worker-0", "Running");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(job().getStatus().getConditions())
                    .extracting(c -> c.getType() + "=" + c.getStatus())
                    .containsExactly("Created=True", "Running=True"));

    phase("mnist-worker-0", "Succeeded");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(job().getStatus().getConditions())
                    .extracting(c -> c.getType() + "=" + c.getStatus())
                    .containsExactly("Created=True", "Running=False", "Succeeded=True"));
    assertThat(
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "TFJobCreated".equals(e.getReason()))
                .count())
        .isEqualTo(1);
  }
}
