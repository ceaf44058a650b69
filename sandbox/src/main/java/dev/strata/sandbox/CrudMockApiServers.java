package dev.strata.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * fabric8's kubernetes-server-mock in CRUD mode, nothing in front: enough for the in-process
 * components, not for kubectl (no discovery). The stand-in until the sandbox's own API server is
 * plugged in.
 */
public final class CrudMockApiServers implements ApiServerFactory {
  // The mock web server logs every request through java.util.logging. Held here: JUL keeps loggers
  // only weakly, and a collected one forgets its level.
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_WEB_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @Override
  public ApiServer start(String name) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    // Vert.x, chosen explicitly: with the JDK client also on the classpath fabric8 would pick
    // either.
    KubernetesClient client = server.createClient(new VertxHttpClientFactory());
    Config config = client.getConfiguration();
    String url = config.getMasterUrl().replaceAll("/+$", "");
    return new ApiServer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String url() {
        return url;
      }

      @Override
      public KubernetesClient client() {
        return client;
      }

      @Override
      public void close() {
        client.close();
        server.destroy();
      }
    };
  }
}
