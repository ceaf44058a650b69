package dev.strata.virtualnode.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.virtualnode.ApiServers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant A's compute client, as the virtual node builds it, against a compute API server that (as
 * the CRUD mock) enforces no RBAC at all: the guard alone must keep A away from B's objects.
 */
class TenantScopeGuardTest {
  KubernetesMockServer server;
  KubernetesClient admin;
  KubernetesClient tenantA;

  @BeforeEach
  void start() {
    server = ApiServers.crud();
    admin = ApiServers.client(server);
    tenantA = ApiServers.computeClient(server, new TenantScope("a", "a-"));
    for (String ns : new String[] {"a-team", "b-team"}) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    admin.resource(secret("b-team", "b-secret", "b's password")).create();
    admin.resource(pod("b-team", "b-worker")).create();
  }

  @AfterEach
  void stop() {
    tenantA.close();
    admin.close();
    server.destroy();
  }

  @Test
  void readsAndWritesItsOwnNamespaces() {
    tenantA.resource(secret("a-team", "a-secret", "a's")).create();
    tenantA.resource(pod("a-team", "a-worker")).create();
    assertThat(tenantA.pods().inNamespace("a-team").list().getItems()).hasSize(1);
    assertThat(tenantA.secrets().inNamespace("a-team").withName("a-secret").get()).isNotNull();
    assertThat(tenantA.namespaces().withName("a-team").get()).isNotNull();
    assertThat(tenantA.nodes().list().getItems()).isEmpty();
  }

  @Test
  void cannotReadTenantBsObjects() {
    assertDenied(() -> tenantA.secrets().inNamespace("b-team").withName("b-secret").get());
    assertDenied(() -> tenantA.pods().inNamespace("b-team").list());
    assertDenied(() -> tenantA.pods().inAnyNamespace().list());
    assertDenied(() -> tenantA.secrets().inAnyNamespace().list());
    assertDenied(() -> tenantA.namespaces().list());
  }

  @Test
  void cannotWriteTenantBsObjects() {
    assertDenied(() -> tenantA.resource(secret("b-team", "b-secret", "stolen")).update());
    assertDenied(() -> tenantA.resource(secret("b-team", "planted", "x")).create());
    assertDenied(() -> tenantA.pods().inNamespace("b-team").withName("b-worker").delete());
    assertDenied(() -> tenantA.resource(pod("b-team", "intruder")).create());
    assertDenied(
        () ->
            tenantA
                .resource(
                    new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("b-new")
                        .endMetadata()
                        .build())
                .create());

    Secret untouched = admin.secrets().inNamespace("b-team").withName("b-secret").get();
    assertThat(untouched.getStringData()).containsEntry("password", "b's password");
    assertThat(admin.secrets().inNamespace("b-team").withName("planted").get()).isNull();
    assertThat(admin.pods().inNamespace("b-team").withName("b-worker").get()).isNotNull();
    assertThat(admin.pods().inNamespace("b-team").withName("intruder").get()).isNull();
    assertThat(admin.namespaces().withName("b-new").get()).isNull();
  }

  @Test
  void cannotWatchTenantBsNamespace() {
    assertDenied(
        () ->
            tenantA
                .secrets()
                .inNamespace("b-team")
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, Secret resource) {}

                      @Override
                      public void onClose(WatcherException cause) {}
                    }));
  }

  @Test
  void aPrefixThatMerelyStartsTheSameIsNotEnough() {
    // "a-" must not let tenant "a" into "ab-team": the prefix includes its separator.
    assertThat(new TenantScope("a", "a-").ownsNamespace("ab-team")).isFalse();
    assertThat(new TenantScope("a", "a-").ownsNamespace("a-")).isFalse();
  }

  private static void assertDenied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
        .hasMessageContaining("tenant a");
  }

  private static Secret secret(String ns, String name, String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withStringData(Map.of("password", password))
        .build();
  }

  private static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }
}
