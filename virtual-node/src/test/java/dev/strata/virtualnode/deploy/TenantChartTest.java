package dev.strata.virtualnode.deploy;

import static dev.strata.virtualnode.deploy.RbacEvaluator.Request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.strata.virtualnode.VirtualNodeMain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tenant chart rendered by Helm, for tenant "vision" with two compute clusters. */
class TenantChartTest {
  private static final String VALUES =
      """
      tenant: vision
      operator:
        namespaces: [training, research]
        gangByDefault: false
        reconcileThreads: 8
      computeClusters:
        - name: gpu-east
          kubeconfigSecret: strata-compute-gpu-east
          namespaces: [training, research]
          nodeSelector: {strata.dev/pool: shared}
          tierMap: {production: high, batch: low}
          gracePeriod: PT2M
          tlsSecret: vn-east-tls
        - name: gpu-west
          nodeName: west
          kubeconfigSecret: strata-compute-gpu-west
          namespaces: [training]
          kubeletPort: 10350
      """;

  static List<HasMetadata> objects;
  static RbacEvaluator rbac;

  @BeforeAll
  static void render() {
    objects = Charts.render("strata-tenant", VALUES);
    rbac = new RbacEvaluator(objects);
  }

  private static Container container(String deployment) {
    return Charts.one(objects, Deployment.class, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  @Test
  void theOperatorRunsWithTheValuesAsFlags() {
    assertThat(container("strata-operator").getArgs())
        .containsExactly(
            "--controllers=mpijob,tfjob",
            "--namespaces=training,research",
            "--no-gang-by-default",
            "--reconcile-threads=8",
            "--leader-elect-namespace=strata-system");
    // Two replicas elect a leader through their Lease; they may not touch another Lease.
    assertThat(Charts.one(objects, Deployment.class, "strata-operator").getSpec().getReplicas())
        .isEqualTo(2);
    for (String verb : List.of("get", "update")) {
      assertThat(
              rbac.allowed(
                  "strata-system",
                  "strata-operator",
                  new Request(
                      verb,
                      "coordination.k8s.io",
                      "leases",
                      null,
                      "strata-system",
                      "strata-operator")))
          .as(verb)
          .isTrue();
    }
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-operator",
                new Request(
                    "update", "coordination.k8s.io", "leases", null, "strata-system", "other")))
        .isFalse();
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-operator",
                new Request("update", "kubeflow.org", "mpijobs", "status", "training", "j")))
        .isTrue();
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-operator",
                new Request(
                    "create", "rbac.authorization.k8s.io", "roles", null, "training", null)))
        .isTrue();
    assertThat(
            rbac.allowed(
                "strata-system",
                "strata-operator",
                new Request("create", "batch", "jobs", null, "training", null)))
        .isTrue();
  }

  @Test
  void oneVirtualNodePerComputeClusterWhoseFlagsTheProcessAccepts() {
    Container east = container("strata-virtual-node-gpu-east");
    assertThat(east.getArgs())
        .contains(
            "--tenant=vision",
            "--node-name=strata-gpu-east",
            "--compute-cluster-name=gpu-east",
            "--namespace-prefix=vision-",
            "--compute-namespaces=vision-training,vision-research",
            "--compute-node-selector=strata.dev/pool=shared",
            "--tier-map=production=high",
            "--tier-map=batch=low",
            "--grace-period=PT2M",
            "--kubelet-port=10250",
            "--tls-cert-file=/etc/strata/kubelet-tls/tls.crt");
    Container west = container("strata-virtual-node-gpu-west");
    assertThat(west.getArgs()).contains("--node-name=west", "--kubelet-port=10350");
    assertThat(west.getArgs()).noneMatch(a -> a.startsWith("--tls-cert-file"));
    assertThat(west.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(10350));
    assertThat(west.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("POD_IP"));

    for (Container c : List.of(east, west)) {
      // picocli parses exactly what the chart renders.
      new CommandLine(new VirtualNodeMain()).parseArgs(c.getArgs().toArray(String[]::new));
    }
    assertThat(
            Charts.one(objects, Deployment.class, "strata-virtual-node-gpu-east")
                .getSpec()
                .getStrategy()
                .getType())
        .isEqualTo("Recreate");
  }

  @Test
  void theVirtualNodesRbacCoversWhatItDoesAndNoMore() {
    String ns = "strata-system";
    String sa = "strata-virtual-node";
    assertThat(rbac.allowed(ns, sa, Request.of("create", "nodes", null, null))).isTrue();
    assertThat(
            rbac.allowed(
                ns, sa, new Request("update", "", "nodes", "status", null, "strata-gpu-east")))
        .isTrue();
    assertThat(
            rbac.allowed(
                ns,
                sa,
                new Request(
                    "update",
                    "coordination.k8s.io",
                    "leases",
                    null,
                    "kube-node-lease",
                    "strata-gpu-east")))
        .isTrue();
    assertThat(rbac.allowed(ns, sa, new Request("update", "", "pods", "status", "training", "w-0")))
        .isTrue();
    assertThat(rbac.allowed(ns, sa, Request.of("create", "events", "training", null))).isTrue();
    for (String r : List.of("configmaps", "secrets", "services")) {
      assertThat(rbac.allowed(ns, sa, Request.of("get", r, "training", "x"))).isTrue();
      assertThat(rbac.allowed(ns, sa, Request.of("create", r, "training", null))).isFalse();
    }
    assertThat(
            rbac.allowed(
                ns,
                sa,
                new Request("create", "authentication.k8s.io", "tokenreviews", null, null, null)))
        .isTrue();
    assertThat(
            rbac.allowed(
                ns,
                sa,
                new Request(
                    "create", "authorization.k8s.io", "subjectaccessreviews", null, null, null)))
        .isTrue();
    // Leases only in kube-node-lease.
    assertThat(
            rbac.allowed(
                ns,
                sa,
                new Request("update", "coordination.k8s.io", "leases", null, "kube-system", "x")))
        .isFalse();
    assertThat(rbac.allowed(ns, sa, Request.of("delete", "nodes", null, "other"))).isFalse();
    assertThat(rbac.allowed(ns, sa, Request.of("create", "pods", "training", null))).isFalse();
  }

  @Test
  void theChartCarriesTheCommittedCrds() throws Exception {
    String shown = new Helm(Charts.chart("strata-tenant")).show().crds().call();
    KubernetesSerialization yaml = new KubernetesSerialization();
    List<String> names =
        Arrays.stream(shown.split("(?m)^---\\s*$"))
            .filter(d -> d.contains("kind"))
            .map(d -> yaml.unmarshal(d, CustomResourceDefinition.class).getMetadata().getName())
            .toList();
    assertThat(names).containsExactlyInAnyOrder("mpijobs.kubeflow.org", "tfjobs.kubeflow.org");
    for (String file : List.of("kubeflow.org_mpijobs.yaml", "kubeflow.org_tfjobs.yaml")) {
      assertThat(Files.readString(Charts.chart("strata-tenant").resolve("crds").resolve(file)))
          .as(
              "deploy/charts/strata-tenant/crds/%s must equal crds/%s: copy it after regenerating the CRDs",
              file, file)
          .isEqualTo(Files.readString(Charts.root().resolve("crds").resolve(file)));
    }
  }

  @Test
  void badValuesAreRefusedWithAReason() {
    assertThatThrownBy(() -> Charts.template("strata-tenant", "computeClusters: []\n"))
        .hasMessageContaining("tenant");
    assertThatThrownBy(
            () ->
                Charts.template(
                    "strata-tenant",
                    "tenant: v\ncomputeClusters: [{name: a, kubeconfigSecret: s, namespaces: [x]}, {name: a, kubeconfigSecret: s, namespaces: [x]}]\n"))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(
            () ->
                Charts.template(
                    "strata-tenant",
                    "tenant: v\ncomputeClusters: [{name: a, kubeconfigSecret: s, namespaces: [x], tierMap: {prod: urgent}}]\n"))
        .hasMessageContaining("tiers are high or low");
    assertThatThrownBy(
            () ->
                Charts.template(
                    "strata-tenant", "tenant: v\ncomputeClusters: [{name: a, namespaces: [x]}]\n"))
        .hasMessageContaining("kubeconfigSecret is required");
    assertThatThrownBy(
            () ->
                Charts.template(
                    "strata-tenant",
                    "tenant: v\ncomputeClusters: [{name: a, kubeconfigSecret: s}]\n"))
        .hasMessageContaining("computeClusters[a].namespaces is required")
        .hasMessageContaining("v-<namespace>");
  }

  @Test
  void helmLintStrictPasses() {
    // Without values the templates stop at the required tenant (lint reports that as info), so
    // this checks Chart.yaml, values.yaml and the CRDs; the rendering tests above check the rest.
    com.marcnuri.helm.LintResult lint =
        new Helm(Charts.chart("strata-tenant")).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }
}
