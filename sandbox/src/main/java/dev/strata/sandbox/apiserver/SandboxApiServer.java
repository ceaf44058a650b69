package dev.strata.sandbox.apiserver;

import dev.strata.sandbox.Kubeconfigs;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An embedded Kubernetes API server that kubectl and fabric8 clients can both use: fabric8's CRUD
 * mock server as the store, with discovery, OpenAPI, CRD admission and the cluster behaviour {@link
 * SandboxDispatcher} adds, served over plain HTTP on 127.0.0.1.
 *
 * <pre>{@code
 * try (SandboxApiServer server = SandboxApiServer.start(0)) {
 *   server.writeKubeconfig(Path.of("kubeconfig"));   // for kubectl
 *   KubernetesClient client = server.newClient();    // for Java code
 * }
 * }</pre>
 */
public final class SandboxApiServer implements AutoCloseable {
  /** The committed CRDs, bundled into the jar from {@code crds/}. */
  public static final List<String> BUNDLED_CRDS =
      List.of("kubeflow.org_mpijobs.yaml", "kubeflow.org_tfjobs.yaml");

  private static final String CRD_RESOURCE_DIR = "/dev/strata/sandbox/crds/";

  private final HttpFront front;
  private final int port;

  private SandboxApiServer(HttpFront front, int port) {
    this.front = front;
    this.port = port;
  }

  /** Starts a server with the bundled Kubeflow CRDs on {@code port}, 0 for any free port. */
  public static SandboxApiServer start(int port) {
    return start(port, bundledCrds());
  }

  /** Starts a server serving {@code crds} (besides the built-in kinds) on {@code port}. */
  public static SandboxApiServer start(int port, List<CustomResourceDefinition> crds) {
    List<CustomResourceType> types = new ArrayList<>();
    crds.forEach(crd -> types.addAll(CustomResourceType.of(crd)));
    ApiCatalog catalog = ApiCatalog.of(types);
    SandboxDispatcher dispatcher =
        new SandboxDispatcher(new KubernetesCrudDispatcher(List.of()), catalog, Clock.systemUTC());
    dispatcher.bootstrap();
    HttpFront front = new HttpFront(dispatcher);
    try {
      int actual = front.start(port);
      dispatcher.serverAddress("127.0.0.1:" + actual);
      return new SandboxApiServer(front, actual);
    } catch (RuntimeException e) {
      front.close();
      throw e;
    }
  }

  /** The CRDs bundled with the sandbox: the committed {@code crds/kubeflow.org_*.yaml}. */
  public static List<CustomResourceDefinition> bundledCrds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String file : BUNDLED_CRDS) {
      try (InputStream in = SandboxApiServer.class.getResourceAsStream(CRD_RESOURCE_DIR + file)) {
        if (in == null) {
          throw new IllegalStateException("the sandbox jar lacks " + CRD_RESOURCE_DIR + file);
        }
        String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        crds.add(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** A client configuration for this server, with {@code default} as its namespace. */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withHttp2Disable(true)
        .withRequestTimeout(30_000)
        .build();
  }

  /** A new fabric8 client (Vert.x HTTP) for this server; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(clientConfig())
        .withHttpClientFactory(new VertxHttpClientFactory())
        .build();
  }

  /**
   * Writes a kubeconfig whose current context, {@code strata-sandbox}, points at this server
   * (namespace default).
   */
  public Path writeKubeconfig(Path file) {
    try {
      Kubeconfigs.write(file, Map.of("strata-sandbox", url()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    front.close();
  }
}
