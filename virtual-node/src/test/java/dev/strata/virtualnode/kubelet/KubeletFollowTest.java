package dev.strata.virtualnode.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.strata.virtualnode.ApiServers;
import dev.strata.virtualnode.isolation.ComputeClients;
import dev.strata.virtualnode.isolation.TenantScope;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl logs -f}: lines reach the caller while the compute pod is still writing. The
 * compute API's {@code pods/log} is played by a small HTTP server that writes one line, then waits
 * until the test has read it before writing the next; the CRUD mock cannot stream a body.
 */
class KubeletFollowTest {
  private static final String NODE = "strata-gpu-east";

  KubernetesMockServer tenantServer;
  KubernetesClient tenant;
  HttpServer computeLogs;
  KubernetesClient compute;
  KubeletServer kubelet;
  final CountDownLatch firstLineRead = new CountDownLatch(1);
  volatile String computeQuery;

  @BeforeEach
  void start() throws Exception {
    tenantServer = ApiServers.crud(KubeletFollowTest::allowEveryToken);
    tenant = ApiServers.client(tenantServer);
    tenant
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("team")
                .withName("w-0")
                .endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .addNewContainer()
                .withName("main")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();

    computeLogs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    computeLogs.createContext(
        "/api/v1/namespaces/a-team/pods/w-0/log",
        exchange -> {
          computeQuery = exchange.getRequestURI().getRawQuery();
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write("step 1\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            boolean read = firstLineRead.await(20, TimeUnit.SECONDS);
            out.write((read ? "step 2\n" : "timed out\n").getBytes(StandardCharsets.UTF_8));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    computeLogs.start();
    compute =
        ComputeClients.guarded(
            new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + computeLogs.getAddress().getPort())
                .withRequestRetryBackoffLimit(0)
                .build(),
            new TenantScope("a", "a-"));
    kubelet =
        KubeletServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            tenant,
            compute,
            NODE,
            pod -> Optional.of(new ComputePodRef("a-team", "w-0")));
  }

  @AfterEach
  void stop() {
    kubelet.close();
    compute.close();
    computeLogs.stop(0);
    tenant.close();
    tenantServer.destroy();
  }

  private static MockResponse allowEveryToken(RecordedRequest request) {
    String path = request.getPath();
    if (path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
      TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
      review.setStatus(new TokenReviewStatus());
      review.getStatus().setAuthenticated(true);
      review.getStatus().setUser(new UserInfoBuilder().withUsername("kube-apiserver").build());
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    if (path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
      SubjectAccessReview review =
          Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
      review.setStatus(new SubjectAccessReviewStatus());
      review.getStatus().setAllowed(true);
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    return null;
  }

  @Test
  void aFollowedLogArrivesLineByLine() throws Exception {
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + kubelet.port()
                                + "/containerLogs/team/w-0/main?follow=true"))
                    .header("Authorization", "Bearer any")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // The compute side holds back line 2 until line 1 has been read here: reading line 1 at
      // all proves it was passed on before the compute log ended.
      assertThat(lines.readLine()).isEqualTo("step 1");
      firstLineRead.countDown();
      assertThat(lines.readLine()).isEqualTo("step 2");
      assertThat(lines.readLine()).isNull();
    }
    assertThat(computeQuery).isEqualTo("container=main&follow=true");
  }
}
