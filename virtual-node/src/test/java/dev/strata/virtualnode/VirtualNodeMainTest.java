package dev.strata.virtualnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The process's flags, kubeconfig files and start-up, against two CRUD API servers. */
class VirtualNodeMainTest {
  @TempDir Path dir;
  KubernetesMockServer tenantServer;
  KubernetesMockServer computeServer;
  KubernetesClient tenant;

  @BeforeEach
  void start() {
    tenantServer = ApiServers.crud();
    computeServer = ApiServers.crud();
    tenant = ApiServers.client(tenantServer);
  }

  @AfterEach
  void stop() {
    tenant.close();
    tenantServer.destroy();
    computeServer.destroy();
  }

  private Path kubeconfig(String name, KubernetesMockServer server) throws Exception {
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

  @Test
  void startsTheNodeAndTheKubeletEndpointsFromItsFlags() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    VirtualNodeMain main = new VirtualNodeMain();
    new CommandLine(main)
        .parseArgs(
            "--tenant=a",
            "--compute-cluster-name=gpu-east",
            "--tenant-kubeconfig=" + kubeconfig("tenant", tenantServer),
            "--compute-kubeconfig=" + kubeconfig("compute", computeServer),
            "--compute-namespaces=a-team",
            "--kubelet-port=" + port,
            "--node-ip=127.0.0.1",
            "--tier-map=prod=high,batch=low",
            "--grace-period=PT2M");
    try (AutoCloseable running = main.start()) {
      Node node = tenant.nodes().withName("strata-gpu-east").get();
      assertThat(node.getMetadata().getLabels()).containsEntry("type", "virtual-kubelet");
      assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
          .isEqualTo(port);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  tenant
                      .nodes()
                      .withName("strata-gpu-east")
                      .get()
                      .getStatus()
                      .getConditions()
                      .stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> logs =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/containerLogs/x/y/z"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(logs.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void withKubeletPortZeroTheNodeAdvertisesThePortItsEndpointsBound() throws Exception {
    VirtualNodeMain main = new VirtualNodeMain();
    new CommandLine(main)
        .parseArgs(
            "--tenant=a",
            "--compute-cluster-name=gpu-east",
            "--tenant-kubeconfig=" + kubeconfig("tenant", tenantServer),
            "--compute-kubeconfig=" + kubeconfig("compute", computeServer),
            "--compute-namespaces=a-team",
            "--kubelet-port=0",
            "--node-ip=127.0.0.1");
    try (AutoCloseable running = main.start()) {
      int port =
          tenant
              .nodes()
              .withName("strata-gpu-east")
              .get()
              .getStatus()
              .getDaemonEndpoints()
              .getKubeletEndpoint()
              .getPort();
      assertThat(port).isPositive();
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void refusesComputeNamespacesOutsideTheTenantsPrefix() throws Exception {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new VirtualNodeMain())
            .setErr(new PrintWriter(err))
            .execute(
                "--tenant=a",
                "--compute-cluster-name=gpu-east",
                "--tenant-kubeconfig=" + kubeconfig("tenant", tenantServer),
                "--compute-kubeconfig=" + kubeconfig("compute", computeServer),
                "--compute-namespaces=b-team");
    assertThat(code).isEqualTo(2);
    assertThat(tenant.nodes().list().getItems()).isEmpty();
  }

  @Test
  void refusesToStartWithoutComputeNamespaces() throws Exception {
    VirtualNodeMain main = new VirtualNodeMain();
    new CommandLine(main)
        .parseArgs(
            "--tenant=a",
            "--compute-cluster-name=gpu-east",
            "--tenant-kubeconfig=" + kubeconfig("tenant", tenantServer),
            "--compute-kubeconfig=" + kubeconfig("compute", computeServer));
    assertThatThrownBy(main::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--compute-namespaces is required")
        .hasMessageContaining("a-default");
    assertThat(tenant.nodes().list().getItems()).isEmpty();
    try (KubernetesClient compute = ApiServers.client(computeServer)) {
      assertThat(compute.namespaces().list().getItems()).isEmpty();
    }
  }

  @Test
  void requiresItsTenantAndComputeCluster() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new VirtualNodeMain()).setErr(new PrintWriter(err)).execute("--tenant=a");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--compute-kubeconfig", "--compute-cluster-name");
  }
}
