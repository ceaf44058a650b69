package dev.strata.virtualnode.deploy;

import static dev.strata.virtualnode.deploy.RbacEvaluator.Request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compute chart rendered by Helm, with tenants "vision" and "nlp". */
class ComputeChartTest {
  private static final String VALUES =
      """
      tenants:
        - name: vision
          namespaces: [training, research]
          quota:
            requests.nvidia.com/gpu: 16
            requests.strata.dev/gpu-v100: "8"
            requests.cpu: "256"
            requests.memory: 2Ti
        - name: nlp
          namespaces: [llm]
          readNodes: false
      """;

  static List<HasMetadata> objects;
  static RbacEvaluator rbac;

  @BeforeAll
  static void render() {
    objects = Charts.render("strata-compute", VALUES);
    rbac = new RbacEvaluator(objects);
  }

  private static boolean vision(Request request) {
    return rbac.allowed("strata-system", "strata-tenant-vision", request);
  }

  private static boolean nlp(Request request) {
    return rbac.allowed("strata-system", "strata-tenant-nlp", request);
  }

  @Test
  void eachTenantGetsItsNamespacesQuotaAndToken() {
    assertThat(Charts.all(objects, Namespace.class))
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("vision-training", "vision-research", "nlp-llm");
    assertThat(Charts.one(objects, Namespace.class, "vision-training").getMetadata().getLabels())
        .containsEntry("strata.dev/tenant", "vision")
        .containsEntry("strata.dev/source-namespace", "training");

    List<ResourceQuota> quotas = Charts.all(objects, ResourceQuota.class);
    assertThat(quotas)
        .extracting(q -> q.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("vision-training", "vision-research");
    assertThat(quotas.get(0).getSpec().getHard())
        .containsKeys(
            "requests.nvidia.com/gpu",
            "requests.strata.dev/gpu-v100",
            "requests.cpu",
            "requests.memory");
    assertThat(quotas.get(0).getSpec().getHard().get("requests.nvidia.com/gpu")).hasToString("16");

    Secret token = Charts.one(objects, Secret.class, "strata-tenant-vision-token");
    assertThat(token.getType()).isEqualTo("kubernetes.io/service-account-token");
    assertThat(token.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/service-account.name", "strata-tenant-vision");
    assertThat(
            Charts.one(objects, ServiceAccount.class, "strata-tenant-vision")
                .getMetadata()
                .getNamespace())
        .isEqualTo("strata-system");

    // Roles and bindings only in the tenant's own namespaces.
    assertThat(Charts.all(objects, Role.class))
        .filteredOn(r -> r.getMetadata().getName().equals("strata-tenant-vision"))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("vision-training", "vision-research");
    assertThat(Charts.all(objects, RoleBinding.class))
        .filteredOn(r -> r.getMetadata().getName().equals("strata-tenant-nlp"))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("nlp-llm");
  }

  @Test
  void aTenantsVirtualNodeWorksInItsOwnNamespaces() {
    assertThat(vision(Request.of("create", "pods", "vision-training", null))).isTrue();
    assertThat(vision(Request.of("delete", "pods", "vision-research", "w-0"))).isTrue();
    assertThat(vision(Request.of("create", "secrets", "vision-training", null))).isTrue();
    assertThat(vision(Request.of("list", "resourcequotas", "vision-training", null))).isTrue();
    assertThat(vision(new Request("get", "", "pods", "log", "vision-training", "w-0"))).isTrue();
    assertThat(vision(Request.of("get", "namespaces", null, "vision-training"))).isTrue();
    assertThat(vision(Request.of("list", "nodes", null, null))).isTrue();
    assertThat(nlp(Request.of("create", "pods", "nlp-llm", null))).isTrue();
  }

  /** What the pod forwarder does in fixed mode (per-namespace informers), all granted. */
  @Test
  void everythingTheForwarderDoesInItsNamespacesIsGranted() {
    for (String resource :
        List.of("pods", "configmaps", "secrets", "services", "persistentvolumeclaims")) {
      for (String verb : List.of("get", "list", "watch", "create", "update", "delete")) {
        assertThat(vision(Request.of(verb, resource, "vision-training", null)))
            .as("vision %s %s in vision-training", verb, resource)
            .isTrue();
      }
    }
    assertThat(vision(Request.of("list", "events", "vision-training", null))).isTrue();
    assertThat(vision(Request.of("watch", "events", "vision-training", null))).isTrue();
    // Its reachability probe: a get of its own namespace.
    assertThat(vision(Request.of("get", "namespaces", null, "vision-research"))).isTrue();
  }

  @Test
  void tenantACannotReadOrWriteTenantBsObjects() {
    for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
      for (String resource :
          List.of("pods", "secrets", "configmaps", "services", "persistentvolumeclaims")) {
        assertThat(vision(Request.of(verb, resource, "nlp-llm", "x")))
            .as("vision %s %s in nlp-llm", verb, resource)
            .isFalse();
        assertThat(nlp(Request.of(verb, resource, "vision-training", "x")))
            .as("nlp %s %s in vision-training", verb, resource)
            .isFalse();
      }
    }
    assertThat(vision(new Request("get", "", "pods", "log", "nlp-llm", "x"))).isFalse();
    assertThat(vision(new Request("create", "", "pods", "exec", "vision-training", "x"))).isFalse();
    // Nothing cluster-wide beyond reading nodes: no list across namespaces, no namespaces of
    // others.
    assertThat(vision(Request.of("list", "pods", null, null))).isFalse();
    assertThat(vision(Request.of("list", "secrets", null, null))).isFalse();
    assertThat(vision(Request.of("get", "namespaces", null, "nlp-llm"))).isFalse();
    assertThat(vision(Request.of("list", "namespaces", null, null))).isFalse();
    assertThat(vision(Request.of("create", "namespaces", null, null))).isFalse();
    assertThat(vision(Request.of("update", "nodes", null, "gpu-1"))).isFalse();
    assertThat(vision(Request.of("get", "secrets", "strata-system", "strata-tenant-nlp-token")))
        .isFalse();
    assertThat(vision(new Request("create", "", "pods", "binding", "vision-training", "x")))
        .isFalse();
    // nlp opted out of reading nodes.
    assertThat(nlp(Request.of("list", "nodes", null, null))).isFalse();
  }

  @Test
  void schedulerAndTiers() {
    Deployment scheduler = Charts.one(objects, Deployment.class, "strata-scheduler");
    assertThat(scheduler.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--scheduler-name=strata-scheduler");
    assertThat(scheduler.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("strata-scheduler");
    ClusterRole role = Charts.one(objects, ClusterRole.class, "strata-strata-scheduler");
    assertThat(role.getRules().stream().flatMap(r -> r.getResources().stream()))
        .contains("pods", "pods/binding", "pods/status", "nodes", "events");
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-scheduler",
                new Request("create", "", "pods", "binding", "vision-training", "w-0")))
        .isTrue();
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-scheduler",
                Request.of("get", "secrets", "vision-training", "s")))
        .isFalse();
    // Leader election: the replicas share one Lease in the release namespace, and no other.
    assertThat(scheduler.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scheduler.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--leader-elect-namespace=strata-system");
    for (String verb : List.of("get", "update")) {
      assertThat(
              rbac.allowed(
                  "strata-system",
                  "strata-scheduler",
                  new Request(
                      verb,
                      "coordination.k8s.io",
                      "leases",
                      null,
                      "strata-system",
                      "strata-scheduler")))
          .as(verb)
          .isTrue();
    }
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-scheduler",
                new Request(
                    "update", "coordination.k8s.io", "leases", null, "kube-node-lease", "n1")))
        .isFalse();

    PriorityClass high = Charts.one(objects, PriorityClass.class, "strata-high");
    PriorityClass low = Charts.one(objects, PriorityClass.class, "strata-low");
    assertThat(high.getValue()).isGreaterThan(low.getValue());
    assertThat(high.getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
    assertThat(low.getPreemptionPolicy()).isEqualTo("Never");
    assertThat(List.of(high, low)).allSatisfy(p -> assertThat(p.getGlobalDefault()).isFalse());
  }

  @Test
  void overlappingPrefixesAndBadNamesAreRefused() {
    assertThatThrownBy(
            () ->
                Charts.template(
                    "strata-compute",
                    "tenants: [{name: a, namespaces: [x]}, {name: ab, namespacePrefix: a-b, namespaces: [y]}]\n"))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> Charts.template("strata-compute", "tenants: [{name: Bad_Name}]\n"))
        .hasMessageContaining("not a DNS label");
  }

  @Test
  void theRbacEvaluatorItselfGrantsThroughBindingsOnly() {
    // A guard on the evaluator: a role nobody is bound to grants nothing.
    Role unbound =
        new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
            .withNewMetadata()
            .withName("unbound")
            .withNamespace("nlp-llm")
            .endMetadata()
            .withRules(new PolicyRule(List.of("*"), null, List.of(), List.of("*"), List.of("*")))
            .build();
    List<HasMetadata> withUnbound = new java.util.ArrayList<>(objects);
    withUnbound.add(unbound);
    assertThat(
            new RbacEvaluator(withUnbound)
                .allowed(
                    "strata-system",
                    "strata-tenant-vision",
                    Request.of("get", "secrets", "nlp-llm", "s")))
        .isFalse();
  }

  @Test
  void helmLintStrictPasses() {
    com.marcnuri.helm.LintResult lint =
        new Helm(Charts.chart("strata-compute")).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }
}
