package dev.strata.virtualnode.forward;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** CRUD mock API servers standing in for tenant and compute clusters, and clients for them. */
final class Clusters implements AutoCloseable {
  /** Held so that the level sticks: the mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final List<AutoCloseable> closing = new ArrayList<>();

  KubernetesMockServer server() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    closing.add(server::destroy);
    return server;
  }

  KubernetesClient client(KubernetesMockServer server) {
    return client(server.getPort());
  }

  /** A client that gives up fast and reconnects watches fast, as outage tests need. */
  KubernetesClient client(int port) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://localhost:" + port)
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(1000)
            .withRequestTimeout(2000)
            .withWatchReconnectInterval(100)
            .build();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new VertxHttpClientFactory())
            .build();
    closing.add(0, client::close);
    return client;
  }

  ToggleProxy proxy(KubernetesMockServer server) throws IOException {
    ToggleProxy proxy = new ToggleProxy(server.getPort());
    closing.add(proxy);
    return proxy;
  }

  void closeLater(AutoCloseable c) {
    closing.add(0, c);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }
}
