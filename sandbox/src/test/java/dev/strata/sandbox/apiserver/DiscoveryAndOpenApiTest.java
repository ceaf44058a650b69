package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryAndOpenApiTest {
  private static final ApiCatalog CATALOG = catalog();

  private static ApiCatalog catalog() {
    List<CustomResourceType> types = new ArrayList<>();
    SandboxApiServer.bundledCrds().forEach(crd -> types.addAll(CustomResourceType.of(crd)));
    return ApiCatalog.of(types);
  }

  @Test
  void preferredVersionsOrderGaBeforeBetaBeforeAlpha() {
    assertThat(DiscoveryDocuments.preferredVersion(List.of("v2beta1", "v1"))).isEqualTo("v1");
    assertThat(DiscoveryDocuments.preferredVersion(List.of("v1beta1", "v1beta2", "v1alpha3")))
        .isEqualTo("v1beta2");
    assertThat(DiscoveryDocuments.preferredVersion(List.of("foo", "v1alpha1")))
        .isEqualTo("v1alpha1");
  }

  @Test
  void theGroupListHasKubeflowWithBothVersions() {
    JsonNode groups = new DiscoveryDocuments(CATALOG).groupList().path("groups");
    JsonNode kubeflow = null;
    for (JsonNode g : groups) {
      if (g.path("name").asText().equals("kubeflow.org")) {
        kubeflow = g;
      }
    }
    assertThat(kubeflow).isNotNull();
    assertThat(kubeflow.path("versions").findValuesAsText("version"))
        .containsExactly("v1", "v2beta1");
    assertThat(kubeflow.path("preferredVersion").path("version").asText()).isEqualTo("v1");
    assertThat(groups.findValuesAsText("name"))
        .contains(
            "rbac.authorization.k8s.io",
            "coordination.k8s.io",
            "scheduling.k8s.io",
            "events.k8s.io",
            "apiextensions.k8s.io",
            "policy",
            "apps");
  }

  @Test
  void resourceListsCarryKindsScopesVerbsAndSubresources() {
    DiscoveryDocuments discovery = new DiscoveryDocuments(CATALOG);
    JsonNode mpi = discovery.resourceList("kubeflow.org", "v2beta1").path("resources");
    assertThat(mpi.findValuesAsText("name")).containsExactly("mpijobs", "mpijobs/status");
    assertThat(mpi.get(0).path("kind").asText()).isEqualTo("MPIJob");
    assertThat(mpi.get(0).path("namespaced").asBoolean()).isTrue();
    assertThat(mpi.get(0).path("verbs").toString()).contains("watch", "patch", "create");

    JsonNode core = discovery.resourceList("", "v1").path("resources");
    assertThat(core.findValuesAsText("name"))
        .contains(
            "pods",
            "pods/status",
            "pods/binding",
            "pods/log",
            "services",
            "configmaps",
            "secrets",
            "serviceaccounts",
            "events",
            "nodes",
            "nodes/status",
            "namespaces",
            "persistentvolumeclaims",
            "resourcequotas",
            "endpoints");
    for (JsonNode r : core) {
      if (r.path("name").asText().equals("nodes")) {
        assertThat(r.path("namespaced").asBoolean()).isFalse();
        assertThat(r.path("shortNames").toString()).contains("no");
      }
    }
    assertThat(discovery.resourceList("nope.io", "v1")).isNull();
  }

  @Test
  void openApiIndexesEveryGroupVersionAndMarksFieldValidation() {
    OpenApiDocuments openApi = new OpenApiDocuments(CATALOG);
    ObjectNode index = openApi.index();
    assertThat(index.path("paths").has("api/v1")).isTrue();
    assertThat(
            index
                .path("paths")
                .path("apis/kubeflow.org/v2beta1")
                .path("serverRelativeURL")
                .asText())
        .startsWith("/openapi/v3/apis/kubeflow.org/v2beta1?hash=");

    ObjectNode doc = openApi.document("apis/kubeflow.org/v2beta1");
    JsonNode patch =
        doc.path("paths")
            .path("/apis/kubeflow.org/v2beta1/namespaces/{namespace}/mpijobs/{name}")
            .path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("MPIJob");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(patch.path("requestBody").path("content").has("application/merge-patch+json"))
        .isTrue();

    JsonNode schema = doc.path("components").path("schemas").path("org.kubeflow.v2beta1.MPIJob");
    assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("version").asText())
        .isEqualTo("v2beta1");
    assertThat(schema.path("properties").path("spec").path("properties").has("mpiReplicaSpecs"))
        .isTrue();
    assertThat(doc.path("components").path("schemas").has(OpenApiDocuments.OBJECT_META)).isTrue();
    assertThat(openApi.document("apis/nope/v1")).isNull();
  }
}
