package dev.strata.virtualnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.virtualnode.forward.PodForwarder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The production wiring: {@link VirtualNodeMain} with a tenant guard on the compute client and
 * fixed compute namespaces, provisioned beforehand as the compute chart does ({@code
 * <prefix><namespace>}, no hash even for a hyphenated tenant name).
 */
class GuardedForwardingTest {
  static final String TENANT = "ml-team";
  static final String NODE = "strata-gpu-east";
  static final String PROVISIONED = "ml-team-training";

  @TempDir Path dir;
  KubernetesMockServer tenantServer;
  KubernetesMockServer computeServer;
  KubernetesClient tenant;
  KubernetesClient computeAdmin;

  @BeforeEach
  void start() {
    tenantServer = ApiServers.crud();
    computeServer = ApiServers.crud();
    tenant = ApiServers.client(tenantServer);
    computeAdmin = ApiServers.client(computeServer);
  }

  @AfterEach
  void stop() {
    tenant.close();
    computeAdmin.close();
    tenantServer.destroy();
    computeServer.destroy();
  }

  /** What the compute chart creates for a tenant namespace: labelled with tenant and source. */
  void provision(String computeNs, String tenantName, String tenantNs) {
    computeAdmin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(computeNs)
                .addToLabels("strata.dev/tenant", tenantName)
                .addToLabels("strata.dev/source-namespace", tenantNs)
                .endMetadata()
                .build())
        .create();
  }

  Path kubeconfig(String name, KubernetesMockServer server) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        users: [{name: u, user: {token: %s-token}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """
            .formatted(server.url("/"), name));
    return file;
  }

  static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .addNewContainer()
        .withName("main")
        .withImage("trainer:1")
        .endContainer()
        .endSpec()
        .build();
  }

  static String phase(Pod p) {
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  @Test
  void forwardsIntoProvisionedNamespacesOnlyAndLeavesOtherTenantsAlone() throws Exception {
    provision(PROVISIONED, TENANT, "training");
    // Tenant B shares the compute cluster: its namespace and objects must stay untouched.
    provision("bio-training", "bio", "training");
    Pod foreignPod =
        computeAdmin
            .pods()
            .inNamespace("bio-training")
            .resource(
                new PodBuilder(pod("bio-training", "trainer"))
                    .editMetadata()
                    .addToLabels("strata.dev/tenant", "bio")
                    .addToLabels("strata.dev/source-namespace", "training")
                    .addToLabels("strata.dev/source-name", "trainer")
                    .endMetadata()
                    .build())
            .create();
    ConfigMap foreignConfig =
        computeAdmin
            .configMaps()
            .inNamespace("bio-training")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("cfg")
                    .addToLabels("strata.dev/tenant", "bio")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();

    VirtualNodeMain main = new VirtualNodeMain();
    new CommandLine(main)
        .parseArgs(
            "--tenant=" + TENANT,
            "--compute-cluster-name=gpu-east",
            "--tenant-kubeconfig=" + kubeconfig("tenant", tenantServer),
            "--compute-kubeconfig=" + kubeconfig("compute", computeServer),
            "--compute-namespaces=" + PROVISIONED,
            "--kubelet-port=0",
            "--node-ip=127.0.0.1");
    try (AutoCloseable running = main.start()) {
      // Forwarded into the chart's namespace, under the guard.
      tenant.pods().inNamespace("training").resource(pod("training", "trainer")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> computeAdmin.pods().inNamespace(PROVISIONED).withName("trainer").get() != null);
      Pod forwarded = computeAdmin.pods().inNamespace(PROVISIONED).withName("trainer").get();
      assertThat(forwarded.getMetadata().getLabels())
          .containsEntry("strata.dev/tenant", TENANT)
          .containsEntry("strata.dev/source-namespace", "training");

      // Status comes back.
      forwarded.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withPodIP("10.1.2.3")
              .withStartTime("2026-11-28T12:00:00Z")
              .build());
      computeAdmin.pods().inNamespace(PROVISIONED).resource(forwarded).updateStatus();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "Running"
                      .equals(
                          phase(tenant.pods().inNamespace("training").withName("trainer").get())));

      // A tenant namespace without a provisioned compute namespace: an Event, Pending, nothing
      // forwarded.
      tenant.pods().inNamespace("research").resource(pod("research", "probe")).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> missingNamespaceEvent("research", "probe") != null);
      Event event = missingNamespaceEvent("research", "probe");
      assertThat(event.getType()).isEqualTo("Warning");
      assertThat(event.getMessage()).contains("ml-team-research");
      Pod waiting = tenant.pods().inNamespace("research").withName("probe").get();
      assertThat(phase(waiting)).isNotIn("Failed", "Running");
      assertThat(waiting.getStatus() == null || waiting.getStatus().getStartTime() == null)
          .as("never accepted")
          .isTrue();
      assertThat(computeAdmin.namespaces().withName("ml-team-research").get()).isNull();
      assertThat(
              computeAdmin
                  .pods()
                  .inAnyNamespace()
                  .withLabel("strata.dev/tenant", TENANT)
                  .list()
                  .getItems())
          .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
          .containsExactly(PROVISIONED + "/trainer");

      // Deletion travels forward.
      tenant.pods().inNamespace("training").withName("trainer").withGracePeriod(0).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> computeAdmin.pods().inNamespace(PROVISIONED).withName("trainer").get() == null);
    }

    // Tenant B's objects were never touched: same resource versions, nothing added.
    assertThat(
            computeAdmin
                .pods()
                .inNamespace("bio-training")
                .withName("trainer")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(foreignPod.getMetadata().getResourceVersion());
    assertThat(
            computeAdmin
                .configMaps()
                .inNamespace("bio-training")
                .withName("cfg")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(foreignConfig.getMetadata().getResourceVersion());
    assertThat(computeAdmin.pods().inNamespace("bio-training").list().getItems()).hasSize(1);
    assertThat(computeAdmin.namespaces().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder(PROVISIONED, "bio-training");
  }

  Event missingNamespaceEvent(String ns, String pod) {
    List<Event> events = tenant.v1().events().inNamespace(ns).list().getItems();
    return events.stream()
        .filter(e -> PodForwarder.MISSING_NAMESPACE.equals(e.getReason()))
        .filter(e -> pod.equals(e.getInvolvedObject().getName()))
        .findFirst()
        .orElse(null);
  }
}
