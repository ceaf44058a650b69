package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.sandbox.apiserver.SandboxApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the sandbox's API server, which serves the pods/binding subresource the binder posts. */
class TenantBinderStandInTest {
  /** Generous: the CI machines are shared and slow at times; passing takes far less. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String NS = "team-a";
  private static final String TAINT_MESSAGE =
      "0/1 nodes are available: 1 node(s) had untolerated taint {virtual-kubelet.io/provider: strata}.";
  SandboxApiServer server;
  KubernetesClient client;
  TenantBinderStandIn binder;

  @BeforeEach
  void startServer() {
    server = SandboxApiServer.start(0, java.util.List.of());
    client = server.newClient();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() {
    if (binder != null) {
      binder.close();
    }
    client.close();
    server.close();
  }

  private void virtualNode() {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("strata-compute")
            .addToLabels("type", "virtual-kubelet")
            .addToLabels("kubernetes.io/role", "agent")
            .endMetadata()
            .withNewSpec()
            .addNewTaint()
            .withKey("virtual-kubelet.io/provider")
            .withValue("strata")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .build();
    client.resource(node).create();
  }

  private static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("trainer")
        .endContainer()
        .endSpec();
  }

  private static PodBuilder tolerating(String name) {
    return pod(name)
        .editSpec()
        .addToTolerations(
            new TolerationBuilder()
                .withKey("virtual-kubelet.io/provider")
                .withOperator("Equal")
                .withValue("strata")
                .withEffect("NoSchedule")
                .build())
        .endSpec();
  }

  private void create(PodBuilder pod) {
    client.resource(pod.build()).create();
  }

  private Pod get(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private String nodeOf(String name) {
    return get(name).getSpec().getNodeName();
  }

  private Optional<PodCondition> scheduled(String name) {
    Pod pod = get(name);
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> "PodScheduled".equals(c.getType()))
            .findFirst();
  }

  private void awaitPendingWith(String name, String message) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              PodCondition condition =
                  scheduled(name).orElseThrow(() -> new AssertionError("no PodScheduled yet"));
              assertThat(condition.getStatus()).isEqualTo("False");
              assertThat(condition.getReason()).isEqualTo("Unschedulable");
              assertThat(condition.getMessage()).isEqualTo(message);
            });
    assertThat(nodeOf(name)).isNull();
  }

  @Test
  void aPodToleratingTheTaintIsBoundToTheVirtualNode() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(tolerating("worker-0"));

    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("worker-0")));
  }

  @Test
  void aPodToleratingEverythingIsBoundToo() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(
        pod("any").editSpec().addNewToleration().withOperator("Exists").endToleration().endSpec());

    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("any")));
  }

  @Test
  void aPodNotToleratingTheTaintStaysPendingWithKubeSchedulersReason() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(pod("plain"));
    create(
        pod("wrong-value")
            .editSpec()
            .addNewToleration()
            .withKey("virtual-kubelet.io/provider")
            .withValue("azure")
            .withEffect("NoSchedule")
            .endToleration()
            .endSpec());

    awaitPendingWith("plain", TAINT_MESSAGE);
    awaitPendingWith("wrong-value", TAINT_MESSAGE);
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("FailedScheduling");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("plain");
              assertThat(e.getMessage()).isEqualTo(TAINT_MESSAGE);
            });
  }

  @Test
  void theSandboxSettingTreatsEveryPodAsToleratingTheVirtualNode() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, true);
    create(pod("plain"));

    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("plain")));
  }

  @Test
  void nodeSelectorAndRequiredAffinityAreMatchedAgainstTheNodesLabels() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(
        tolerating("selects-virtual")
            .editSpec()
            .addToNodeSelector("type", "virtual-kubelet")
            .endSpec());
    create(
        tolerating("selects-gpu-node")
            .editSpec()
            .addToNodeSelector("strata.dev/gpu-model", "V100")
            .endSpec());
    create(
        tolerating("affinity-in")
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("kubernetes.io/role")
            .withOperator("In")
            .withValues("agent")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec());
    create(
        tolerating("affinity-not-in")
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("type")
            .withOperator("NotIn")
            .withValues("virtual-kubelet")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec());

    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("selects-virtual")));
    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("affinity-in")));
    String affinity =
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";
    awaitPendingWith("selects-gpu-node", affinity);
    awaitPendingWith("affinity-not-in", affinity);
  }

  @Test
  void podsForAnotherSchedulerAreLeftAlone() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(tolerating("volcano").editSpec().withSchedulerName("volcano").endSpec());
    create(tolerating("marker"));

    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("marker")));
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodeOf("volcano") == null && scheduled("volcano").isEmpty());
  }

  @Test
  void aMissingClaimKeepsThePodPendingUntilTheClaimExists() {
    virtualNode();
    binder = TenantBinderStandIn.start(client, false);
    create(
        tolerating("needs-data")
            .editSpec()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("imagenet")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec());

    awaitPendingWith(
        "needs-data", "0/1 nodes are available: persistentvolumeclaim \"imagenet\" not found.");

    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("imagenet")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();
    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("needs-data")));
  }

  @Test
  void withoutNodesAPodWaitsAndIsBoundOnceTheVirtualNodeRegisters() {
    binder = TenantBinderStandIn.start(client, false);
    create(tolerating("early"));
    awaitPendingWith("early", BindingDecision.NO_NODES);

    virtualNode();
    await().atMost(TIMEOUT).until(() -> "strata-compute".equals(nodeOf("early")));
  }
}
