package dev.strata.virtualnode.forward;

import static dev.strata.virtualnode.forward.PodForwarderTest.COMPUTE_NS;
import static dev.strata.virtualnode.forward.PodForwarderTest.NODE;
import static dev.strata.virtualnode.forward.PodForwarderTest.NS;
import static dev.strata.virtualnode.forward.PodForwarderTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.operators.common.SettableClock;
import dev.strata.virtualnode.ApiServers;
import dev.strata.virtualnode.node.ComputeObservation;
import dev.strata.virtualnode.node.NodeController;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Node's Ready condition and pod forwarding read one reachability, kept by the node's probe:
 * they see an outage together, date it alike, and recover together. Both halves are wired as {@code
 * strata-virtual-node} wires them, between two CRUD API servers.
 */
class SharedReachabilityTest {
  final Clusters clusters = new Clusters();
  final KubernetesMockServer tenantServer = clusters.server();
  final KubernetesClient tenant = clusters.client(tenantServer);
  KubernetesClient compute;
  NodeController node;

  @BeforeAll
  static void patience() {
    org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws Exception {
    clusters.close();
  }

  /** Probe every 0.2 s, NotReady after 2 s without an answer (NodeControllerTest's scale). */
  void start(KubernetesClient computeClient, ForwardingConfig config, Clock clock, Duration probe) {
    node =
        new NodeController(
                tenant,
                computeClient,
                NodeOptions.defaults("acme", NODE, "compute", "127.0.0.1", 10250)
                    .withTimings(
                        Duration.ofMillis(1000),
                        probe,
                        Duration.ofMillis(1000),
                        Duration.ofMillis(2000),
                        Duration.ofMillis(6000)),
                clock)
            .start();
    clusters.closeLater(node);
    clusters.closeLater(
        new PodForwarder(tenant, computeClient, config, node.reachability(), clock).start());
  }

  static ForwardingConfig config(Duration grace) {
    return ForwardingConfig.defaults("acme", NODE).withTiming(grace, Duration.ofMinutes(10));
  }

  NodeCondition ready() {
    io.fabric8.kubernetes.api.model.Node n = tenant.nodes().withName(NODE).get();
    assertThat(n).isNotNull();
    assertThat(n.getStatus()).isNotNull();
    return n.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Ready condition"));
  }

  Pod tenantPod(String name) {
    return tenant.pods().inNamespace(NS).withName(name).get();
  }

  Pod computePod(String name) {
    return compute.pods().inNamespace(COMPUTE_NS).withName(name).get();
  }

  boolean accepted(String name) {
    Pod p = tenantPod(name);
    return p != null && p.getStatus() != null && p.getStatus().getStartTime() != null;
  }

  static String phase(Pod p) {
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  /**
   * The two used to probe different things: the node listed compute nodes and quotas, the forwarder
   * got a namespace. A compute API server that fails the one and not the other made the Node
   * NotReady while pods were still forwarded to it. Now the forwarder pauses with the Node.
   */
  @Test
  void aComputeErrorThatTurnsTheNodeNotReadyPausesForwardingTooAndBothRecoverTogether() {
    AtomicBoolean nodesFail = new AtomicBoolean();
    KubernetesMockServer computeServer =
        ApiServers.crud(
            r ->
                nodesFail.get()
                        && "GET".equals(r.getMethod())
                        && r.getPath().startsWith("/api/v1/nodes")
                    ? new MockResponse().setResponseCode(503).setBody("etcd is slow")
                    : null);
    clusters.closeLater(computeServer::destroy);
    compute = clusters.client(computeServer.getPort());
    tenant.resource(pod("before", NODE)).create();
    start(compute, config(Duration.ofMinutes(5)), Clock.systemUTC(), Duration.ofMillis(200));
    await().until(() -> accepted("before"));
    await().untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo("True"));

    nodesFail.set(true);
    await().untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo("False"));
    assertThat(ready().getReason()).isEqualTo(ComputeObservation.ERROR);
    Instant since = node.reachability().unreachableSince();
    assertThat(since).isNotNull();
    assertThat(ready().getMessage()).contains("no answer since " + since);

    tenant.resource(pod("during", NODE)).create();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> computePod("during") == null && !accepted("during"));

    nodesFail.set(false);
    await()
        .untilAsserted(
            () -> {
              assertThat(ready().getStatus()).isEqualTo("True");
              assertThat(node.reachability().reachable()).isTrue();
              assertThat(computePod("during")).isNotNull();
              assertThat(accepted("during")).isTrue();
            });
    assertThat(phase(tenantPod("before"))).isNotEqualTo("Failed");
  }

  /**
   * The compute cluster answers the node's probe, but one kind the forwarder watches cannot be
   * listed (a missing RBAC rule, say): the Node stays Ready and the reading reachable (no flapping
   * between a failed sync and the next probe), forwarding waits, and the grace counted from the
   * first failed sync fails the waiting pod instead of leaving it Pending for ever.
   */
  @Test
  void cachesThatCannotSyncStallForwardingAndTheGraceStillEndsIt() {
    KubernetesMockServer computeServer =
        ApiServers.crud(
            r ->
                "GET".equals(r.getMethod()) && r.getPath().contains("/secrets")
                    ? new MockResponse()
                        .setResponseCode(403)
                        .setBody("secrets is forbidden: the tenant may not list secrets")
                    : null);
    clusters.closeLater(computeServer::destroy);
    compute = clusters.client(computeServer.getPort());
    tenant.resource(pod("waiting", NODE)).create();
    // Blocks until the forwarder's first sync gives up (30 s): it then waits for the caches.
    start(compute, config(Duration.ofSeconds(3)), Clock.systemUTC(), Duration.ofMillis(200));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(node.reachability().reachable()).isTrue();
              assertThat(ready().getStatus()).isEqualTo("True");
              assertThat(phase(tenantPod("waiting"))).isEqualTo("Failed");
            });
    assertThat(tenantPod("waiting").getStatus().getReason())
        .isEqualTo(StatusTranslator.COMPUTE_UNREACHABLE);
    assertThat(computePod("waiting")).isNull();
  }

  /**
   * On a clock that moves only when the test says: the outage starts at the first failed probe, the
   * Node's NotReady names that instant, and the forwarder fails pods exactly when the grace counted
   * from the same instant has passed.
   */
  @Test
  void theNodeAndTheForwarderDateTheOutageFromTheSameInstant() throws Exception {
    Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
    SettableClock clock = new SettableClock(t0);
    KubernetesMockServer computeServer = clusters.server();
    compute = clusters.client(computeServer);
    ToggleProxy proxy = clusters.proxy(computeServer);
    tenant.resource(pod("p", NODE)).create();
    start(
        clusters.client(proxy.port()),
        config(Duration.ofSeconds(60)),
        clock,
        Duration.ofMillis(200));
    await().until(() -> accepted("p"));

    proxy.cut();
    await().until(() -> !node.reachability().reachable());
    assertThat(node.reachability().unreachableSince()).isEqualTo(t0);
    // One lost probe does not flip Ready: no time has passed since the last answer.
    assertThat(ready().getStatus()).isEqualTo("True");

    clock.advance(Duration.ofSeconds(3));
    await().untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo("False"));
    assertThat(ready().getReason()).isEqualTo(ComputeObservation.UNREACHABLE);
    assertThat(ready().getMessage()).contains("no answer since " + t0);

    // One second short of the grace, counted from t0: a sync of the pod leaves it alone.
    clock.advance(Duration.ofSeconds(56));
    touch("p");
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !"Failed".equals(phase(tenantPod("p"))));
    // Past it: the forwarder's next look fails the pod.
    clock.advance(Duration.ofSeconds(2));
    await().until(() -> "Failed".equals(phase(tenantPod("p"))));
    assertThat(tenantPod("p").getStatus().getReason()).isEqualTo("ComputeUnreachable");

    proxy.restore();
    await()
        .untilAsserted(
            () -> {
              assertThat(ready().getStatus()).isEqualTo("True");
              assertThat(node.reachability().reachable()).isTrue();
              assertThat(node.reachability().unreachableSince()).isNull();
              // The tenant's verdict stands: the failed pod's compute pod is stopped.
              assertThat(computePod("p")).isNull();
            });
  }

  /**
   * A request that got no answer (as a forwarding call reports it) pauses forwarding and asks for a
   * probe at once; the probe finds the cluster answering, so forwarding resumes long before the
   * next scheduled probe, and the Node never leaves Ready.
   */
  @Test
  void aRequestWithoutAnswerIsCheckedAtOnceAndDoesNotFlipReady() {
    KubernetesMockServer computeServer = clusters.server();
    compute = clusters.client(computeServer);
    start(compute, config(Duration.ofMinutes(5)), Clock.systemUTC(), Duration.ofSeconds(60));
    await().untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo("True"));
    String readySince = ready().getLastTransitionTime();

    List<Boolean> heard = new CopyOnWriteArrayList<>();
    node.reachability().addListener(heard::add);
    node.reachability().requestFailed("create pod: connection reset");

    // The outage was recorded, and the probe it asked for (not the 60 s tick) ended it.
    await().atMost(Duration.ofSeconds(20)).until(() -> heard.equals(List.of(false, true)));
    assertThat(node.reachability().reachable()).isTrue();
    tenant.resource(pod("after", NODE)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> accepted("after"));
    assertThat(ready().getStatus()).isEqualTo("True");
    assertThat(ready().getLastTransitionTime()).isEqualTo(readySince);
    assertThat(tenant.v1().events().inNamespace("default").list().getItems())
        .noneMatch(e -> "NodeNotReady".equals(e.getReason()));
  }

  private void touch(String name) {
    Pod p = tenantPod(name);
    p.getMetadata().getLabels().put("touched", Long.toString(System.nanoTime()));
    tenant.resource(p).update();
  }
}
