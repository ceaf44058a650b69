package dev.strata.virtualnode.node;

import static dev.strata.virtualnode.node.ComputeObjects.gpuNode;
import static dev.strata.virtualnode.node.ComputeObjects.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.virtualnode.ApiServers;
import dev.strata.virtualnode.isolation.TenantScope;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node controller between two CRUD API servers, the tenant's and the compute cluster's, with
 * its intervals scaled down tenfold: Lease every 1 s, probe every 0.5 s, NotReady after 2 s without
 * an answer; so "NotReady within 40 s" becomes "within 4 s".
 */
class NodeControllerTest {
  private static final String NODE = "strata-gpu-east";

  KubernetesMockServer tenantServer;
  KubernetesMockServer computeServer;
  KubernetesClient tenant;
  KubernetesClient computeAdmin;
  KubernetesClient compute;
  NodeController controller;
  final List<Boolean> reachability = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    tenantServer = ApiServers.crud();
    computeServer = ApiServers.crud();
    tenant = ApiServers.client(tenantServer);
    computeAdmin = ApiServers.client(computeServer);
    compute = ApiServers.computeClient(computeServer, new TenantScope("a", "a-"));
    computeAdmin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("a-team").endMetadata().build())
        .create();
    computeAdmin.resource(gpuNode("v100-a", "V100", 8, true, true)).create();
    computeAdmin.resource(gpuNode("p100-a", "P100", 4, true, true)).create();
    computeAdmin
        .resource(
            quota("a-team", "gpus", Map.of("requests.nvidia.com/gpu", "6", "requests.cpu", "32")))
        .create();
  }

  private NodeController startController() {
    NodeOptions options =
        NodeOptions.defaults("a", NODE, "gpu-east", "10.0.0.7", 10250)
            .withComputeNamespaces(List.of("a-team"))
            .withTimings(
                Duration.ofMillis(1000),
                Duration.ofMillis(500),
                Duration.ofMillis(1000),
                Duration.ofMillis(2000),
                Duration.ofMillis(6000));
    controller = new NodeController(tenant, compute, options, Clock.systemUTC());
    controller.reachability().addListener(reachability::add);
    return controller.start();
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    tenant.close();
    compute.close();
    computeAdmin.close();
    tenantServer.destroy();
    computeServer.destroy();
  }

  private Node node() {
    return tenant.nodes().withName(NODE).get();
  }

  private static NodeCondition condition(Node node, String type) {
    // Assertions, not exceptions: between a re-registration and its first status write a Node
    // has no status, and Awaitility retries only on AssertionError.
    assertThat(node).isNotNull();
    assertThat(node.getStatus()).isNotNull();
    assertThat(node.getStatus().getConditions()).isNotNull();
    return node.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }

  @Test
  void registersAsAVirtualKubeletWithAKubeletsStatus() {
    startController();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(condition(node(), "Ready").getStatus()).isEqualTo("True"));
    Node node = node();

    assertThat(node.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("kubernetes.io/role", "agent")
        .containsEntry("strata.dev/compute-cluster", "gpu-east")
        .containsEntry("kubernetes.io/hostname", NODE);
    assertThat(node.getSpec().getTaints())
        .containsExactly(
            new TaintBuilder()
                .withKey("virtual-kubelet.io/provider")
                .withValue("strata")
                .withEffect("NoSchedule")
                .build());
    assertThat(node.getStatus().getConditions())
        .extracting(NodeCondition::getType, NodeCondition::getStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("NetworkUnavailable", "False"));
    assertThat(condition(node, "Ready").getReason()).isEqualTo("KubeletReady");
    assertThat(node.getStatus().getAddresses())
        .extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=10.0.0.7", "Hostname=" + NODE);
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
        .isEqualTo(10250);
    assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.31.0-strata");
    assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");

    // Capacity: the quota where it limits (GPUs, CPU), the usable compute nodes elsewhere.
    Map<String, Quantity> capacity = node.getStatus().getCapacity();
    assertThat(capacity.get("nvidia.com/gpu")).hasToString("6");
    assertThat(capacity.get("cpu")).hasToString("32");
    assertThat(capacity.get("pods")).hasToString("220");
    assertThat(capacity.get("strata.dev/gpu-v100")).hasToString("6");
    assertThat(capacity.get("strata.dev/gpu-p100")).hasToString("4");
    assertThat(node.getStatus().getAllocatable()).isEqualTo(capacity);
  }

  /** Registration, status, Lease and the Starting Event all start from one read of the Node. */
  @Test
  void startsFromOneReadOfItsNode() throws Exception {
    startController();
    int nodeReads = 0;
    RecordedRequest request;
    while ((request = tenantServer.takeRequest(1, TimeUnit.SECONDS)) != null) {
      if ("POST".equals(request.getMethod()) && request.getPath().contains("/events")) {
        break; // the Starting Event: start() ends here, before the timers are scheduled
      }
      if ("GET".equals(request.getMethod())
          && request.getPath().startsWith("/api/v1/nodes/" + NODE)) {
        nodeReads++;
      }
    }
    assertThat(request).as("the Starting Event").isNotNull();
    assertThat(nodeReads).isEqualTo(1);
  }

  @Test
  void renewsItsLeaseInKubeNodeLease() {
    startController();
    Lease first = tenant.leases().inNamespace("kube-node-lease").withName(NODE).get();
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(first.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Node");
              assertThat(o.getUid()).isEqualTo(node().getMetadata().getUid());
            });
    ZonedDateTime firstRenewal = first.getSpec().getRenewTime();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                tenant
                    .leases()
                    .inNamespace("kube-node-lease")
                    .withName(NODE)
                    .get()
                    .getSpec()
                    .getRenewTime()
                    .isAfter(firstRenewal));
  }

  @Test
  void capacityFollowsTheQuota() {
    startController();
    computeAdmin
        .resource(
            quota("a-team", "gpus", Map.of("requests.nvidia.com/gpu", "2", "requests.cpu", "32")))
        .update();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> node().getStatus().getCapacity().get("nvidia.com/gpu").toString().equals("2"));
    assertThat(node().getStatus().getCapacity().get("strata.dev/gpu-v100")).hasToString("2");
  }

  @Test
  void goesNotReadyWithinTheScaledFortySecondsWhenTheComputeClusterStopsAndBackWhenItReturns()
      throws Exception {
    startController();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(condition(node(), "Ready").getStatus()).isEqualTo("True"));
    int port = computeServer.getPort();

    long stoppedAt = System.nanoTime();
    computeServer.destroy();
    await()
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(condition(node(), "Ready").getStatus()).isEqualTo("False"));
    Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
    NodeCondition ready = condition(node(), "Ready");
    assertThat(ready.getReason()).isEqualTo("ComputeClusterUnreachable");
    assertThat(ready.getMessage()).contains("gpu-east");
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    // The shared reading turned unreachable at the first failed probe, before Ready did.
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(reachability).endsWith(true, false));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(tenant.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("NodeNotReady");
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getInvolvedObject().getName()).isEqualTo(NODE);
                          assertThat(e.getMessage()).contains("gpu-east");
                        }));
    assertThat(controller.reachability().reachable()).isFalse();
    // The Lease is the kubelet's own heartbeat: it goes on while the compute cluster is away.
    ZonedDateTime renewed =
        tenant
            .leases()
            .inNamespace("kube-node-lease")
            .withName(NODE)
            .get()
            .getSpec()
            .getRenewTime();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                tenant
                    .leases()
                    .inNamespace("kube-node-lease")
                    .withName(NODE)
                    .get()
                    .getSpec()
                    .getRenewTime()
                    .isAfter(renewed));

    // The compute cluster comes back on the same address (with an empty store: no quota, so the
    // usable nodes' sum counts, and here there are none).
    computeServer = restartedOn(port);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(condition(node(), "Ready").getStatus()).isEqualTo("True"));
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(reachability).endsWith(true, false, true));
  }

  @Test
  void putsBackItsLabelsAndTaintKeepsOthersAndReRegistersWhenDeleted() {
    startController();
    Node node = node();
    node.getMetadata().getLabels().remove("type");
    node.getMetadata().getLabels().put("team", "vision");
    node.getSpec()
        .setTaints(
            List.of(new TaintBuilder().withKey("maintenance").withEffect("NoSchedule").build()));
    tenant.resource(node).update();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              Node now = node();
              assertThat(now.getMetadata().getLabels())
                  .containsEntry("type", "virtual-kubelet")
                  .containsEntry("team", "vision");
              assertThat(now.getSpec().getTaints())
                  .extracting(t -> t.getKey())
                  .containsExactlyInAnyOrder("maintenance", "virtual-kubelet.io/provider");
            });

    tenant.nodes().withName(NODE).delete();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              Node now = node();
              assertThat(now).isNotNull();
              assertThat(condition(now, "Ready").getStatus()).isEqualTo("True");
            });
  }

  private static KubernetesMockServer restartedOn(int port) throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new java.util.HashMap<>(),
            new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getByName("localhost"), port);
    return server;
  }
}
