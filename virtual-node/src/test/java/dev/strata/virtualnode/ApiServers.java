package dev.strata.virtualnode;

import dev.strata.virtualnode.isolation.ComputeClients;
import dev.strata.virtualnode.isolation.TenantScope;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.function.Function;

/**
 * fabric8's CRUD mock server as the API server of a tenant or the compute cluster. Endpoints the
 * CRUD mock lacks (pod log, TokenReview, SubjectAccessReview) can be answered by a front: those are
 * the far side's APIs, not the code under test.
 */
public final class ApiServers {
  private ApiServers() {}

  /** A started CRUD server; {@code front} answers what it knows and returns null for the rest. */
  public static KubernetesMockServer crud(Function<RecordedRequest, MockResponse> front) {
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse answer = front.apply(request);
            return answer != null ? answer : crud.dispatch(request);
          }
        };
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    return server;
  }

  public static KubernetesMockServer crud() {
    return crud(r -> null);
  }

  public static KubernetesClient client(KubernetesMockServer server) {
    return server.createClient(b -> b.withHttpClientFactory(new VertxHttpClientFactory()));
  }

  /** The compute client as the virtual node builds it: fenced to the tenant, no retries. */
  public static KubernetesClient computeClient(KubernetesMockServer server, TenantScope scope) {
    Config config;
    try (KubernetesClient plain = client(server)) {
      config =
          new ConfigBuilder(plain.getConfiguration())
              .withRequestRetryBackoffLimit(0)
              .withConnectionTimeout(1000)
              .withRequestTimeout(2000)
              .build();
    }
    return ComputeClients.guarded(config, scope);
  }
}
