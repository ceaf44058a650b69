package dev.strata.sandbox;

import dev.strata.sandbox.apiserver.SandboxApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The sandbox's kubectl-compatible API servers ({@link SandboxApiServer}): tenant clusters serve
 * the Kubeflow CRDs, the compute cluster only the built-in kinds, as a real compute cluster of the
 * platform has no job CRDs.
 */
public final class SandboxApiServers implements ApiServerFactory {
  @Override
  public ApiServer start(String name) {
    SandboxApiServer server =
        Sandbox.COMPUTE.equals(name)
            ? SandboxApiServer.start(0, List.of())
            : SandboxApiServer.start(0);
    KubernetesClient client;
    try {
      client = server.newClient();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new ApiServer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String url() {
        return server.url();
      }

      @Override
      public KubernetesClient client() {
        return client;
      }

      @Override
      public void close() {
        client.close();
        server.close();
      }
    };
  }
}
