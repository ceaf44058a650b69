package dev.strata.virtualnode.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.virtualnode.ApiServers;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet endpoints over HTTPS from the PEM files a kubelet takes, and client-certificate
 * authentication as the API server uses it (its kubelet-client certificate, signed by the client
 * CA). The tenant side's SubjectAccessReview is answered by a front (the CRUD mock lacks it).
 */
class KubeletTlsTest {
  private static final String NODE = "strata-gpu-east";

  @TempDir static Path dir;
  static TestCertificates certificates;
  final List<SubjectAccessReview> reviews = new CopyOnWriteArrayList<>();
  KubernetesMockServer tenantServer;
  KubernetesClient tenant;
  KubeletServer kubelet;

  @BeforeAll
  static void pki() throws Exception {
    // keytool runs a JVM per step: make the PKI once.
    certificates =
        TestCertificates.create(dir, "CN=kube-apiserver-kubelet-client, O=system:masters");
  }

  @BeforeEach
  void start() throws Exception {
    tenantServer = ApiServers.crud(this::authorizer);
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
    kubelet =
        KubeletServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            KubeletTls.context(
                certificates.serverCert, certificates.serverKey, certificates.clientCa),
            tenant,
            tenant,
            NODE,
            // Not forwarded: an authorized caller gets 404, an unauthorized one never gets that
            // far.
            pod -> Optional.empty());
  }

  @AfterEach
  void stop() {
    kubelet.close();
    tenant.close();
    tenantServer.destroy();
  }

  private MockResponse authorizer(RecordedRequest request) {
    if (!request.getPath().startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
      return null;
    }
    SubjectAccessReview review =
        Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
    reviews.add(review);
    review.setStatus(new SubjectAccessReviewStatus());
    review.getStatus().setAllowed(review.getSpec().getGroups().contains("system:masters"));
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
  }

  private HttpClient client(boolean withCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificates.serverCert)) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (withCertificate) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(certificates.clientKeyStore)) {
        keys.load(in, TestCertificates.PASSWORD);
      }
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, TestCertificates.PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers == null ? null : keyManagers.getKeyManagers(),
        trustManagers.getTrustManagers(),
        null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubelet.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiServersClientCertificateAuthenticates() throws Exception {
    HttpResponse<String> response = get(client(true), "/containerLogs/team/w-0/main");
    // Authenticated and authorized; the pod simply has not been forwarded.
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("has not reached the compute cluster");
    assertThat(reviews)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getSpec().getUser()).isEqualTo("kube-apiserver-kubelet-client");
              assertThat(r.getSpec().getGroups()).containsExactly("system:masters");
              assertThat(r.getSpec().getResourceAttributes().getSubresource()).isEqualTo("proxy");
            });
  }

  @Test
  void withoutCertificateOrTokenTheAnswerIs401() throws Exception {
    assertThat(get(client(false), "/containerLogs/team/w-0/main").statusCode()).isEqualTo(401);
    assertThat(reviews).isEmpty();
  }
}
