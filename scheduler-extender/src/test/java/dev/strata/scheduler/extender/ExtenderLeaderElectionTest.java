package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.scheduler.apiserver.BindingDispatcher;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Two extender replicas against one API server: both keep their caches, only the Lease holder is
 * ready and answers the verbs; the other answers 503 until the holder stops, then takes over.
 */
class ExtenderLeaderElectionTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesMockServer api;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<ExtenderMain.Replica> replicas = new ArrayList<>();

  @BeforeEach
  void start() {
    api =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new BindingDispatcher(), false);
    api.init();
    client().nodes().resource(Fixture.node("gpu-a", 8, false)).create();
  }

  @AfterEach
  void stop() {
    replicas.forEach(ExtenderMain.Replica::close);
    clients.forEach(KubernetesClient::close);
    api.destroy();
  }

  private KubernetesClient client() {
    KubernetesClient c =
        new KubernetesClientBuilder()
            .withConfig(api.createClient().getConfiguration())
            .withHttpClientFactory(new VertxHttpClientFactory())
            .build();
    clients.add(c);
    return c;
  }

  private ExtenderMain.Replica replica(String identity) throws Exception {
    ExtenderMain main = new ExtenderMain();
    new CommandLine(main)
        .parseArgs(
            "--port=0",
            "--host=127.0.0.1",
            "--leader-elect-namespace=strata-system",
            "--leader-elect-lease-duration=3s",
            "--leader-elect-renew-deadline=2s",
            "--leader-elect-retry-period=200ms");
    main.leaderElection.identity = identity;
    AtomicInteger lost = new AtomicInteger();
    ExtenderMain.Replica r =
        main.start(
            client(), Policies.createDefault(List.of()), Fixture.QUOTAS, lost::incrementAndGet);
    replicas.add(r);
    return r;
  }

  private int get(ExtenderMain.Replica r, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server.port() + path))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private HttpResponse<String> filter(ExtenderMain.Replica r) throws Exception {
    String pod =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .asJson(
                Fixture.pod(
                    "team-a",
                    "p",
                    "uid-p",
                    1,
                    Map.of("strata.dev/tenant", "team-a", "strata.dev/tier", "high")));
    String body = "{\"Pod\":" + pod + ",\"Nodes\":null,\"NodeNames\":[\"gpu-a\"]}";
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server.port() + "/filter"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyTheLeaderIsReadyAndServesAndTheOtherTakesOverWhenItStops() throws Exception {
    ExtenderMain.Replica a = replica("replica-a");
    await().atMost(Duration.ofSeconds(10)).until(() -> get(a, "/readyz") == 200);
    ExtenderMain.Replica b = replica("replica-b");

    assertThat(get(b, "/healthz")).as("the follower is alive").isEqualTo(200);
    assertThat(get(b, "/readyz")).as("but not ready").isEqualTo(503);
    HttpResponse<String> refused = filter(b);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("not the leader");
    await().atMost(Duration.ofSeconds(10)).until(() -> filter(a).body().contains("gpu-a"));
    assertThat(filter(a).statusCode()).isEqualTo(200);

    a.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz") == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> filter(b).body().contains("gpu-a"));
    assertThat(filter(b).statusCode()).isEqualTo(200);
  }
}
