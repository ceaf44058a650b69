package dev.strata.virtualnode.isolation;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;

/**
 * Builds the compute cluster client every part of the virtual node shares: fenced to its tenant.
 */
public final class ComputeClients {
  private ComputeClients() {}

  public static KubernetesClient guarded(Config config, TenantScope scope) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        // Vert.x, chosen explicitly: with more than one HTTP client on the classpath fabric8
        // would pick either.
        .withHttpClientFactory(new VertxHttpClientFactory())
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor(TenantScopeGuard.NAME, new TenantScopeGuard(scope)))
        .build();
  }
}
