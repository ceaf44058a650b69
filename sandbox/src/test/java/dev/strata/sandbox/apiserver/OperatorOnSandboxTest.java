package dev.strata.sandbox.apiserver;

import static dev.strata.sandbox.apiserver.KubeflowResources.MPIJOBS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.operators.OperatorOptions;
import dev.strata.operators.StrataOperator;
import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The production MPIJob controller (java-operator-sdk informers, status writes) against the sandbox
 * API server: what the sandbox's tenant clusters run.
 */
@Timeout(180)
class OperatorOnSandboxTest {

  @Test
  void theMpiJobControllerReconcilesAnUpstreamExampleAndItsObjectsGoWithIt() throws Exception {
    try (SandboxApiServer server = SandboxApiServer.start(0);
        KubernetesClient operatorClient = server.newClient();
        KubernetesClient client = server.newClient();
        StrataOperator operator =
            StrataOperator.start(
                operatorClient,
                new OperatorOptions(
                    Set.of(OperatorOptions.MPIJOB), Set.of(), JobPodPolicy.gangs(), 4))) {
      String yaml = Files.readString(TestPaths.upstream().resolve("mpi-operator/pi-pi.yaml"));
      GenericKubernetesResource job =
          Serialization.unmarshal(yaml, GenericKubernetesResource.class);
      client.genericKubernetesResources(MPIJOBS).inNamespace("default").resource(job).create();

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(client.pods().inNamespace("default").list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .contains("pi-worker-0", "pi-worker-1");
                assertThat(client.configMaps().inNamespace("default").withName("pi-config").get())
                    .isNotNull();
                GenericKubernetesResource stored =
                    client
                        .genericKubernetesResources(MPIJOBS)
                        .inNamespace("default")
                        .withName("pi")
                        .get();
                List<Map<String, Object>> conditions = stored.get("status", "conditions");
                assertThat(conditions).extracting(c -> c.get("type")).contains("Created");
              });

      client.genericKubernetesResources(MPIJOBS).inNamespace("default").withName("pi").delete();
      assertThat(client.pods().inNamespace("default").list().getItems())
          .noneMatch(p -> p.getMetadata().getName().startsWith("pi-"));
      assertThat(client.configMaps().inNamespace("default").withName("pi-config").get()).isNull();
      assertThat(client.batch().v1().jobs().inNamespace("default").list().getItems()).isEmpty();
    }
  }
}
