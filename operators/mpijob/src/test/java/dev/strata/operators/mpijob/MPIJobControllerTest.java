package dev.strata.operators.mpijob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class MPIJobControllerTest {
  KubernetesClient client;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  @Test
  void piBecomesEveryObjectMpiNeeds() throws Exception {
    cluster.createUpstream("pi-pi.yaml");

    cluster.reconcile("pi");

    Service service = client.services().inNamespace(MockCluster.NAMESPACE).withName("pi").get();
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    ConfigMap config =
        client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("pi-config").get();
    assertThat(config.getData().get("hostfile"))
        .isEqualTo("pi-worker-0.pi slots=1\npi-worker-1.pi slots=1\n");
    Secret ssh = client.secrets().inNamespace(MockCluster.NAMESPACE).withName("pi-ssh").get();
    assertThat(ssh.getType()).isEqualTo("kubernetes.io/ssh-auth");
    assertThat(cluster.pods())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("pi-worker-0", "pi-worker-1");
    assertThat(cluster.launcher("pi")).isNotNull();
    assertThat(cluster.job("pi").getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Created=True");
    assertThat(cluster.eventReasons()).containsExactly("MPIJobCreated");
  }

  @Test
  void aSecondReconcileWritesNothing() throws Exception {
    cluster.createUpstream("pi-pi.yaml");
    cluster.reconcile("pi");
    String before =
        client.pods().inNamespace(MockCluster.NAMESPACE).list().getMetadata().getResourceVersion();

    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    assertThat(outcome.status()).isNull();
    assertThat(cluster.pods()).extracting(Pod::getMetadata).extracting(m -> m.getName()).hasSize(2);
    assertThat(cluster.eventReasons()).containsExactly("MPIJobCreated");
  }
}
