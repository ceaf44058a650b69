package dev.strata.virtualnode.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.virtualnode.ApiServers;
import dev.strata.virtualnode.isolation.TenantScope;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kubelet endpoints over real HTTP between two CRUD API servers. The CRUD mock implements
 * neither TokenReview, SubjectAccessReview nor pod logs, so small fronts answer those: on the
 * tenant side a token authority and an RBAC stand-in that lets only the API server's user at {@code
 * nodes/proxy}, on the compute side a log endpoint that honours tailLines. They are the external
 * APIs the endpoints call, not the code under test.
 */
class KubeletServerTest {
  private static final String NODE = "strata-gpu-east";
  private static final String APISERVER_TOKEN = "apiserver-token";
  private static final String VIEWER_TOKEN = "viewer-token";
  private static final List<String> LOG_LINES =
      List.of("epoch 1 loss 0.9", "epoch 2 loss 0.5", "epoch 3 loss 0.2");

  final List<SubjectAccessReview> reviews = new CopyOnWriteArrayList<>();
  final List<String> computeLogRequests = new CopyOnWriteArrayList<>();
  KubernetesMockServer tenantServer;
  KubernetesMockServer computeServer;
  KubernetesClient tenant;
  KubernetesClient computeAdmin;
  KubernetesClient compute;
  KubeletServer kubelet;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    tenantServer = ApiServers.crud(this::tenantAuthApis);
    computeServer = ApiServers.crud(this::computeLogApi);
    tenant = ApiServers.client(tenantServer);
    computeAdmin = ApiServers.client(computeServer);
    compute = ApiServers.computeClient(computeServer, new TenantScope("a", "a-"));

    Pod tenantPod = tenant.resource(pod("team", "trainer-worker-0", NODE, Map.of())).create();
    tenant.resource(pod("team", "elsewhere", "other-node", Map.of())).create();
    computeAdmin
        .resource(
            pod(
                "a-team",
                "trainer-worker-0",
                "v100-a",
                Map.of(
                    "strata.dev/tenant",
                    "a",
                    "strata.dev/source-uid",
                    tenantPod.getMetadata().getUid())))
        .create();

    kubelet =
        KubeletServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            tenant,
            compute,
            NODE,
            new LabelComputePodLocator(compute, "a", ns -> "a-" + ns));
  }

  @AfterEach
  void stop() {
    kubelet.close();
    tenant.close();
    compute.close();
    computeAdmin.close();
    tenantServer.destroy();
    computeServer.destroy();
  }

  private MockResponse tenantAuthApis(RecordedRequest request) {
    String path = request.getPath();
    if (path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
      TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
      String token = review.getSpec().getToken();
      review.setStatus(new io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus());
      review.getStatus().setAuthenticated(false);
      if (token.equals(APISERVER_TOKEN) || token.equals(VIEWER_TOKEN)) {
        review.getStatus().setAuthenticated(true);
        review
            .getStatus()
            .setUser(
                new io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder()
                    .withUsername(
                        token.equals(APISERVER_TOKEN) ? "kube-apiserver-kubelet-client" : "viewer")
                    .withGroups("system:authenticated")
                    .build());
      }
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    if (path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
      SubjectAccessReview review =
          Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
      reviews.add(review);
      var attributes = review.getSpec().getResourceAttributes();
      boolean allowed =
          review.getSpec().getUser().equals("kube-apiserver-kubelet-client")
              && attributes.getResource().equals("nodes")
              && attributes.getSubresource().equals("proxy");
      review.setStatus(
          new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus());
      review.getStatus().setAllowed(allowed);
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    return null;
  }

  private MockResponse computeLogApi(RecordedRequest request) {
    String path = request.getPath();
    if (!path.contains("/log?") && !path.endsWith("/log")) {
      return null;
    }
    computeLogRequests.add(path);
    if (!path.startsWith("/api/v1/namespaces/a-team/pods/trainer-worker-0/log")) {
      return new MockResponse().setResponseCode(404).setBody("pod not found");
    }
    if (path.contains("previous=true")) {
      return new MockResponse()
          .setResponseCode(400)
          .setBody("previous terminated container \"main\" in pod \"trainer-worker-0\" not found");
    }
    List<String> lines = LOG_LINES;
    java.util.regex.Matcher tail =
        java.util.regex.Pattern.compile("tailLines=(\\d+)").matcher(path);
    if (tail.find()) {
      int n = Integer.parseInt(tail.group(1));
      lines = lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
    if (path.contains("timestamps=true")) {
      lines = lines.stream().map(l -> "2026-11-28T12:00:00.000000000Z " + l).toList();
    }
    return new MockResponse().setResponseCode(200).setBody(String.join("\n", lines) + "\n");
  }

  private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kubelet.port() + pathAndQuery));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutValidCredentialsTheAnswerIs401() throws Exception {
    assertThat(get("/containerLogs/team/trainer-worker-0/main", null).statusCode()).isEqualTo(401);
    assertThat(get("/containerLogs/team/trainer-worker-0/main", "forged").statusCode())
        .isEqualTo(401);
    assertThat(computeLogRequests).isEmpty();
  }

  @Test
  void anAuthenticatedUserWithoutNodesProxyGets403() throws Exception {
    HttpResponse<String> response = get("/containerLogs/team/trainer-worker-0/main", VIEWER_TOKEN);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("user=viewer", "subresource=proxy");
    assertThat(reviews)
        .singleElement()
        .satisfies(
            r -> {
              var attributes = r.getSpec().getResourceAttributes();
              assertThat(attributes.getVerb()).isEqualTo("get");
              assertThat(attributes.getResource()).isEqualTo("nodes");
              assertThat(attributes.getSubresource()).isEqualTo("proxy");
              assertThat(attributes.getName()).isEqualTo(NODE);
              assertThat(r.getSpec().getGroups()).containsExactly("system:authenticated");
            });
    assertThat(computeLogRequests).isEmpty();
  }

  @Test
  void theApiServerGetsTheComputePodsLog() throws Exception {
    HttpResponse<String> all = get("/containerLogs/team/trainer-worker-0/main", APISERVER_TOKEN);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body().lines()).containsExactlyElementsOf(LOG_LINES);

    HttpResponse<String> tail =
        get(
            "/containerLogs/team/trainer-worker-0/main?tailLines=1&timestamps=true&follow=true",
            APISERVER_TOKEN);
    assertThat(tail.statusCode()).isEqualTo(200);
    assertThat(tail.body().lines())
        .containsExactly("2026-11-28T12:00:00.000000000Z epoch 3 loss 0.2");
    assertThat(computeLogRequests)
        .last()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("/api/v1/namespaces/a-team/pods/trainer-worker-0/log?")
                    .contains("container=main", "follow=true", "timestamps=true", "tailLines=1"));
  }

  @Test
  void computeErrorsComeBackAsTheyAre() throws Exception {
    HttpResponse<String> previous =
        get("/containerLogs/team/trainer-worker-0/main?previous=true", APISERVER_TOKEN);
    assertThat(previous.statusCode()).isEqualTo(400);
    assertThat(previous.body()).contains("previous terminated container");
  }

  @Test
  void badRequestsAreRefusedWithAReason() throws Exception {
    assertThat(get("/containerLogs/team/trainer-worker-0/main?tailLines=-3", APISERVER_TOKEN))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).contains("tailLines"));
    assertThat(get("/containerLogs/team/trainer-worker-0/sidecar", APISERVER_TOKEN))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).contains("container sidecar is not valid"));
    assertThat(get("/containerLogs/team/elsewhere/main", APISERVER_TOKEN).statusCode())
        .isEqualTo(404);
    assertThat(get("/containerLogs/team/missing/main", APISERVER_TOKEN).statusCode())
        .isEqualTo(404);
    assertThat(get("/containerLogs/team/trainer-worker-0", APISERVER_TOKEN).statusCode())
        .isEqualTo(400);
    assertThat(get("/exec/team/trainer-worker-0/main?command=ls", APISERVER_TOKEN).statusCode())
        .isEqualTo(501);
    assertThat(computeLogRequests).isEmpty();
  }

  @Test
  void theLogProxyCannotBeSteeredIntoAnotherTenantsNamespace() throws Exception {
    kubelet.close();
    // A locator gone wrong that points at tenant b's namespace: the compute client's guard stops
    // it.
    kubelet =
        KubeletServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            tenant,
            compute,
            NODE,
            pod -> Optional.of(new ComputePodRef("b-team", "secret-job")));
    HttpResponse<String> response =
        get("/containerLogs/team/trainer-worker-0/main", APISERVER_TOKEN);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("not tenant a's");
    assertThat(computeLogRequests).isEmpty();
  }

  @Test
  void healthzIsOpen() throws Exception {
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
  }

  private static Pod pod(String ns, String name, String nodeName, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName("main")
        .withImage("horovod")
        .endContainer()
        .endSpec()
        .build();
  }
}
