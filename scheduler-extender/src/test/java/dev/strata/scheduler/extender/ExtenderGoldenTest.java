package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every verb and its error paths over real HTTP against a started {@link ExtenderServer}: the
 * request in {@code extender/<case>.request.json} is posted as kube-scheduler posts it, and the
 * answer must equal {@code extender/<case>.response.json} as JSON (key order aside), with the
 * status given here. The files are written from the Go types of {@code
 * k8s.io/kube-scheduler/extender/v1}: PascalCase keys, nil as null, no omitted fields.
 */
class ExtenderGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Stream<Arguments> cases() {
    Consumer<ClusterView> none = v -> {};
    Consumer<ClusterView> gangOf2 = v -> addGang(v, "2");
    Consumer<ClusterView> gangOf3 = v -> addGang(v, "3");
    Consumer<ClusterView> greedy =
        v ->
            v.upsertPod(
                Fixture.pod(
                    "team-a",
                    "greedy",
                    "uid-greedy",
                    12,
                    Map.of("strata.dev/tenant", "team-a", "strata.dev/tier", "high")));
    return Stream.of(
        Arguments.of("filter-node-names", "filter", 200, none),
        Arguments.of("filter-case-insensitive-keys", "filter", 200, none),
        Arguments.of("filter-full-nodes", "filter", 200, none),
        Arguments.of("filter-gang-member", "filter", 200, gangOf2),
        Arguments.of("filter-gang-waiting", "filter", 200, gangOf3),
        Arguments.of("filter-gang-required-one-switch", "filter", 200, wideGang(true)),
        Arguments.of("filter-gang-preferred-spreads", "filter", 200, wideGang(false)),
        Arguments.of("filter-over-quota", "filter", 200, none),
        Arguments.of("filter-unreadable-pod", "filter", 200, none),
        Arguments.of("filter-needs-preemption", "filter", 200, none),
        Arguments.of("prioritize-one-feasible", "prioritize", 200, none),
        Arguments.of("prioritize-gang-member", "prioritize", 200, gangOf2),
        Arguments.of("prioritize-over-quota", "prioritize", 200, none),
        Arguments.of("preempt-meta-victims", "preempt", 200, none),
        Arguments.of("preempt-full-victims", "preempt", 200, none),
        Arguments.of("preempt-not-needed", "preempt", 200, none),
        Arguments.of("bind-unknown-pod", "bind", 200, none),
        Arguments.of("bind-bound-elsewhere", "bind", 200, none),
        Arguments.of("bind-replaced-pod", "bind", 200, none),
        Arguments.of("bind-not-planned", "bind", 200, greedy),
        Arguments.of("bind-gang-wrong-node", "bind", 200, gangOf2),
        Arguments.of("error-no-pod", "filter", 400, none),
        Arguments.of("error-no-nodes", "prioritize", 400, none),
        Arguments.of("error-pod-not-object", "filter", 400, none),
        Arguments.of("error-node-names-not-strings", "filter", 400, none),
        Arguments.of("error-bind-no-node", "bind", 400, none),
        Arguments.of("error-preempt-no-victims", "preempt", 400, none),
        Arguments.of("error-victim-without-uid", "preempt", 400, none),
        Arguments.of("error-body-not-object", "bind", 400, none));
  }

  /** Pending gang team-a/job: worker-0 asks for 4 GPUs, worker-1 for 2. */
  static void addGang(ClusterView view, String minMember) {
    for (String[] w :
        new String[][] {{"job-worker-0", "uid-w0", "4"}, {"job-worker-1", "uid-w1", "2"}}) {
      var pod =
          Fixture.pod(
              "team-a",
              w[0],
              w[1],
              Integer.parseInt(w[2]),
              Map.of(
                  "strata.dev/tenant", "team-a",
                  "strata.dev/tier", "high",
                  "strata.dev/gang-name", "job"));
      pod.getMetadata().setAnnotations(Map.of("strata.dev/gang-min-member", minMember));
      view.upsertPod(pod);
    }
  }

  /**
   * Nodes sw1-a under RoCE switch s1 and sw2-a under s2, 8 free GPUs each, and the pending LOW gang
   * team-a/wide of two 8-GPU workers: it fits only across both switches, which a gang with {@code
   * strata.dev/topology: required} refuses.
   */
  static Consumer<ClusterView> wideGang(boolean required) {
    return view -> {
      for (String[] n : new String[][] {{"sw1-a", "s1"}, {"sw2-a", "s2"}}) {
        var node = Fixture.node(n[0], 8, false);
        node.getMetadata()
            .setLabels(Map.of("strata.dev/gpu-model", "V100", "strata.dev/switch", n[1]));
        view.upsertNode(node);
      }
      for (String w : new String[] {"wide-worker-0", "wide-worker-1"}) {
        var pod =
            Fixture.pod(
                "team-a",
                w,
                "uid-" + w,
                8,
                Map.of(
                    "strata.dev/tenant", "team-a",
                    "strata.dev/tier", "low",
                    "strata.dev/gang-name", "wide"));
        pod.getMetadata()
            .setAnnotations(
                required
                    ? Map.of("strata.dev/gang-min-member", "2", "strata.dev/topology", "required")
                    : Map.of("strata.dev/gang-min-member", "2"));
        view.upsertPod(pod);
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsTheGoldenFileSays(String name, String verb, int status, Consumer<ClusterView> setup)
      throws Exception {
    ClusterView view = Fixture.view();
    setup.accept(view);
    try (ExtenderServer server =
        new ExtenderServer(Fixture.service(view, PodBinder.NONE), "127.0.0.1", 0, 2, "test")
            .start()) {
      HttpResponse<String> response = post(server, verb, resource(name + ".request.json"));

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
      JsonNode expected = JSON.readTree(resource(name + ".response.json"));
      assertThat(JSON.readTree(response.body())).isEqualTo(expected);
    }
  }

  static HttpResponse<String> post(ExtenderServer server, String verb, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/" + verb))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ExtenderGoldenTest.class.getResourceAsStream("/extender/" + name)) {
      if (in == null) {
        throw new IOException("no test resource extender/" + name);
      }
      return in.readAllBytes();
    }
  }
}
