package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.kube.TenantQuotas;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/kube-scheduler must agree with the server: the KubeSchedulerConfiguration names the verbs
 * the server serves at the port the Deployment and Service expose, with nodeCacheCapable and
 * Strata's GPU resources managed and ignored by kube-scheduler; RBAC grants what bind and preempt
 * call; the quota ConfigMap reads.
 */
class DeployManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  static Path deployDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/kube-scheduler"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory with deploy/kube-scheduler").isNotNull();
    return dir.resolve("deploy/kube-scheduler");
  }

  @Test
  void theSchedulerConfigurationCallsTheVerbsTheServerServes() throws Exception {
    JsonNode config = YAML.readTree(deployDir().resolve("kube-scheduler-config.yaml").toFile());
    assertThat(config.get("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
    assertThat(config.get("kind").asText()).isEqualTo("KubeSchedulerConfiguration");
    assertThat(config.get("percentageOfNodesToScore").asInt())
        .as("a gang member's planned node must be among the nodes kube-scheduler sends")
        .isEqualTo(100);
    JsonNode extender = config.get("extenders").get(0);
    assertThat(extender.get("filterVerb").asText()).isEqualTo(ExtenderServer.FILTER);
    assertThat(extender.get("prioritizeVerb").asText()).isEqualTo(ExtenderServer.PRIORITIZE);
    assertThat(extender.get("preemptVerb").asText()).isEqualTo(ExtenderServer.PREEMPT);
    assertThat(extender.get("bindVerb").asText()).isEqualTo(ExtenderServer.BIND);
    assertThat(extender.get("nodeCacheCapable").asBoolean()).isTrue();
    assertThat(extender.get("enableHTTPS").asBoolean()).isFalse();
    assertThat(extender.get("ignorable").asBoolean()).isFalse();
    assertThat(extender.get("weight").asInt()).isPositive();
    Map<String, Boolean> managed = new java.util.TreeMap<>();
    extender
        .get("managedResources")
        .forEach(r -> managed.put(r.get("name").asText(), r.get("ignoredByScheduler").asBoolean()));
    assertThat(managed)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(KubeKeys.GPU_RESOURCE, true, KubeKeys.GPU_MILLI_RESOURCE, true));

    List<HasMetadata> objects = manifests();
    Service service = only(objects, Service.class);
    Deployment deployment = only(objects, Deployment.class);
    URI url = URI.create(extender.get("urlPrefix").asText());
    assertThat(url.getHost())
        .isEqualTo(
            service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc");
    assertThat(url.getPort()).isEqualTo(service.getSpec().getPorts().get(0).getPort());
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).contains("--port=" + url.getPort());
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(url.getPort());
    // Replicas elect a leader; the Service sends kube-scheduler only to the ready one, the leader.
    assertThat(container.getArgs()).contains("--leader-elect-namespace=strata-system");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(deployment.getSpec().getReplicas()).isGreaterThan(1);
    Role leases = only(objects, Role.class);
    assertThat(leases.getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("leases");
              assertThat(r.getResourceNames()).containsExactly("strata-scheduler-extender");
              assertThat(r.getVerbs()).contains("get", "update", "patch");
            });

    // Each verb, at the path kube-scheduler builds (urlPrefix + "/" + verb), reaches its handler:
    // an empty object is a 400 with a reason, not a 404.
    try (ExtenderServer server =
        new ExtenderServer(
                Fixture.service(Fixture.view(), PodBinder.NONE), "127.0.0.1", 0, 1, "test")
            .start()) {
      for (String verb :
          List.of(
              extender.get("filterVerb").asText(),
              extender.get("prioritizeVerb").asText(),
              extender.get("preemptVerb").asText(),
              extender.get("bindVerb").asText())) {
        var response = ExtenderGoldenTest.post(server, url.getPath() + verb, "{}".getBytes());
        assertThat(response.statusCode()).as(verb).isEqualTo(400);
      }
    }
  }

  @Test
  void rbacGrantsWhatBindAndPreemptCallAndTheQuotasRead() throws Exception {
    List<HasMetadata> objects = manifests();
    ClusterRole role = only(objects, ClusterRole.class);
    Map<String, List<String>> verbs =
        role.getRules().stream()
            .flatMap(r -> r.getResources().stream().map(res -> Map.entry(res, r.getVerbs())))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(verbs.get("pods/binding")).contains("create");
    assertThat(verbs.get("pods")).contains("list", "watch", "patch", "delete");
    assertThat(verbs.get("nodes")).contains("list", "watch");

    ConfigMap quotas = only(objects, ConfigMap.class);
    assertThat(TenantQuotas.fromYaml(quotas.getData().get("quotas.yaml")).isOk()).isTrue();
  }

  private static List<HasMetadata> manifests() throws Exception {
    String text = Files.readString(deployDir().resolve("strata-scheduler-extender.yaml"));
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(KUBE.unmarshal(doc));
      }
    }
    return objects;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }
}
