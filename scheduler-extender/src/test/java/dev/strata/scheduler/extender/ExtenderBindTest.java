package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.scheduler.apiserver.BindingDispatcher;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bind and preempt against a CRUD mock API server, with the informers feeding the cache as in
 * production: a gang is bound whole on the first member's bind, GPU indices recorded, and nothing
 * is bound when a member has vanished.
 */
class ExtenderBindTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> GANG =
      Map.of(
          "strata.dev/tenant", "team-a", "strata.dev/tier", "high", "strata.dev/gang-name", "job");

  private KubernetesMockServer api;
  private KubernetesClient client;
  private ClusterView view;
  private ViewInformers informers;
  private ExtenderServer server;
  private ExtenderService service;

  @BeforeEach
  void start() throws Exception {
    api =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new BindingDispatcher(), false);
    api.init();
    client =
        new KubernetesClientBuilder()
            .withConfig(api.createClient().getConfiguration())
            .withHttpClientFactory(new VertxHttpClientFactory())
            .build();
    client.nodes().resource(Fixture.node("gpu-a", 8, false)).create();
    client.nodes().resource(Fixture.node("gpu-b", 8, false)).create();
    view = new ClusterView();
    informers = ViewInformers.start(client, view);
    service = Fixture.service(view, new KubernetesPodBinder(client));
    server = new ExtenderServer(service, "127.0.0.1", 0, 2, "test").start();
  }

  @AfterEach
  void stop() {
    server.close();
    informers.close();
    client.close();
    api.destroy();
  }

  private Pod create(String name, int gpus, Map<String, String> labels, String minMember) {
    Pod pod = Fixture.pod("team-a", name, null, gpus, labels);
    if (minMember != null) {
      pod.getMetadata().setAnnotations(Map.of("strata.dev/gang-min-member", minMember));
    }
    Pod created = client.pods().inNamespace("team-a").resource(pod).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> view.pod("team-a", name) != null);
    return created;
  }

  private String post(String verb, Object body) throws Exception {
    byte[] json = JSON.writeValueAsBytes(body);
    var response = ExtenderGoldenTest.post(server, verb, json);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private String bind(Pod pod, String node) throws Exception {
    String body =
        post(
            "bind",
            Map.of(
                "PodName",
                pod.getMetadata().getName(),
                "PodNamespace",
                "team-a",
                "PodUID",
                pod.getMetadata().getUid(),
                "Node",
                node));
    return JSON.readTree(body).get("Error").asText();
  }

  private Object filterArgs(Pod pod) {
    Map<String, Object> args = new HashMap<>();
    args.put(
        "Pod",
        JSON.convertValue(
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(pod),
            String.class));
    return args;
  }

  private String filter(Pod pod) throws Exception {
    String podJson = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(pod);
    String body = "{\"Pod\":" + podJson + ",\"Nodes\":null,\"NodeNames\":[\"gpu-a\",\"gpu-b\"]}";
    var response = ExtenderGoldenTest.post(server, "filter", body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private Pod get(String name) {
    return client.pods().inNamespace("team-a").withName(name).get();
  }

  @Test
  void theFirstMembersBindBindsTheWholeGangWithItsGpuIndices() throws Exception {
    Pod w0 = create("job-worker-0", 4, GANG, "2");
    Pod w1 = create("job-worker-1", 4, GANG, "2");

    var passed = JSON.readTree(filter(w1)).get("NodeNames");
    Map<String, String> plan = service.plannedNodes("team-a/job");
    assertThat(plan).containsOnlyKeys("team-a/job-worker-0", "team-a/job-worker-1");
    // A gang member passes exactly the node of the gang's plan.
    assertThat(passed.size()).isEqualTo(1);
    assertThat(passed.get(0).asText()).isEqualTo(plan.get("team-a/job-worker-1"));

    assertThat(bind(w1, plan.get("team-a/job-worker-1"))).isEmpty();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(get("job-worker-0").getSpec().getNodeName())
                  .isEqualTo(plan.get("team-a/job-worker-0"));
              assertThat(get("job-worker-1").getSpec().getNodeName())
                  .isEqualTo(plan.get("team-a/job-worker-1"));
            });
    String i0 = get("job-worker-0").getMetadata().getAnnotations().get("strata.dev/gpu-indices");
    String i1 = get("job-worker-1").getMetadata().getAnnotations().get("strata.dev/gpu-indices");
    if (plan.get("team-a/job-worker-0").equals(plan.get("team-a/job-worker-1"))) {
      assertThat(java.util.Set.of(i0, i1)).containsExactlyInAnyOrder("0,1,2,3", "4,5,6,7");
    } else {
      assertThat(i0).isEqualTo("0,1,2,3");
      assertThat(i1).isEqualTo("0,1,2,3");
    }

    // kube-scheduler's own bind of the other member, when it gets to it, finds it done.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> view.pod("team-a", "job-worker-0").getSpec().getNodeName() != null);
    String w0Node = plan.get("team-a/job-worker-0");
    String other = w0Node.equals("gpu-a") ? "gpu-b" : "gpu-a";
    assertThat(bind(w0, w0Node)).isEmpty();
    assertThat(bind(w0, other))
        .isEqualTo("Strata: pod team-a/job-worker-0 is already bound to node " + w0Node);
  }

  @Test
  void aGangThatLostAMemberIsNotBoundAtAll() throws Exception {
    Pod w0 = create("job-worker-0", 4, GANG, "2");
    Pod w1 = create("job-worker-1", 4, GANG, "2");
    assertThat(JSON.readTree(filter(w0)).get("NodeNames").size()).isEqualTo(1);
    String planned = service.plannedNodes("team-a/job").get("team-a/job-worker-0");

    client.pods().inNamespace("team-a").withName("job-worker-1").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> view.pod("team-a", "job-worker-1") == null);

    assertThat(bind(w0, planned))
        .isEqualTo(
            "Strata: pod team-a/job-worker-0 is not in a placement plan: gang team-a/job waits for"
                + " its members: 1 of 2 pods exist, and a gang starts whole or not at all");
    assertThat(get("job-worker-0").getSpec().getNodeName()).isNull();
    assertThat(w1.getMetadata().getUid()).isNotNull();
  }

  @Test
  void aPodAloneIsBoundWhereKubeSchedulerChoseWhenItFitsThere() throws Exception {
    Map<String, String> alone = Map.of("strata.dev/tenant", "team-a");
    Pod p = create("solo", 2, alone, null);
    String filtered = filter(p);
    assertThat(JSON.readTree(filtered).get("NodeNames").toString())
        .isEqualTo("[\"gpu-a\",\"gpu-b\"]");

    // Whichever node Strata planned, kube-scheduler may pick the other feasible one.
    assertThat(bind(p, "gpu-b")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("solo").getSpec().getNodeName()).isEqualTo("gpu-b"));
    assertThat(get("solo").getMetadata().getAnnotations())
        .containsEntry("strata.dev/gpu-indices", "0,1");
  }

  @Test
  void preemptionTakesAWholeLowGangAndEvictsItsMatesOnOtherNodes() throws Exception {
    Map<String, String> low =
        Map.of(
            "strata.dev/tenant",
            "team-b",
            "strata.dev/tier",
            "low",
            "strata.dev/gang-name",
            "batch");
    for (String[] b : new String[][] {{"batch-0", "gpu-a"}, {"batch-1", "gpu-b"}}) {
      Pod pod = Fixture.withNode(Fixture.pod("team-b", b[0], null, 6, low), b[1], "0,1,2,3,4,5");
      client.pods().inNamespace("team-b").resource(pod).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> view.pod("team-b", b[0]) != null);
    }
    Pod big =
        create("big", 8, Map.of("strata.dev/tenant", "team-a", "strata.dev/tier", "high"), null);
    String uid0 = view.pod("team-b", "batch-0").getMetadata().getUid();
    String uid1 = view.pod("team-b", "batch-1").getMetadata().getUid();

    String podJson = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(big);
    String request =
        "{\"Pod\":"
            + podJson
            + ",\"NodeNameToVictims\":null,\"NodeNameToMetaVictims\":{"
            + "\"gpu-a\":{\"Pods\":[{\"UID\":\""
            + uid0
            + "\"}],\"NumPDBViolations\":0},"
            + "\"gpu-b\":{\"Pods\":[{\"UID\":\""
            + uid1
            + "\"}],\"NumPDBViolations\":0}}}";
    var response =
        ExtenderGoldenTest.post(server, "preempt", request.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    var answer = JSON.readTree(response.body()).get("NodeNameToMetaVictims");

    // One node, with the batch pod on it; its gang-mate elsewhere is evicted by the extender.
    assertThat(answer.size()).isEqualTo(1);
    String node = answer.fieldNames().next();
    String victim = node.equals("gpu-a") ? uid0 : uid1;
    String mate = node.equals("gpu-a") ? "batch-1" : "batch-0";
    assertThat(answer.get(node).get("Pods").get(0).get("UID").asText()).isEqualTo(victim);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.pods().inNamespace("team-b").withName(mate).get() == null);
  }
}
