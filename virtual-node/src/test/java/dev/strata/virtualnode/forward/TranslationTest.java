package dev.strata.virtualnode.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.virtualnode.forward.DependencyRef.Kind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TranslationTest {
  final ForwardingConfig config =
      ForwardingConfig.defaults("acme", "vn").withPriorityClassTiers(Map.of("prod", "high"));
  final PodTranslator translator = new PodTranslator(config);

  static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("job-worker-0")
        .withNamespace("team")
        .withUid("uid-1")
        .addToLabels("app", "job")
        .endMetadata()
        .withNewSpec()
        .withNodeName("vn")
        .addNewToleration()
        .withKey("virtual-kubelet.io/provider")
        .withValue("strata")
        .withEffect("NoSchedule")
        .endToleration()
        .addNewToleration()
        .withKey("nvidia.com/gpu")
        .withOperator("Exists")
        .endToleration()
        .addNewContainer()
        .withName("main")
        .withImage("img")
        .addNewEnv()
        .withName("TF_CONFIG")
        .withValue(
            "{\"cluster\":{\"worker\":[\"job-worker-0.team.svc:2222\",\"job-worker-1:2222\"]}}")
        .endEnv()
        .addNewEnv()
        .withName("MY_NAMESPACE")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("MY_IP")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("status.podIP")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void namespacesAreReadableWhenUnambiguousAndHashedOtherwise() {
    assertThat(new ComputeNamespaces("acme", "{tenant}-{namespace}").of("team"))
        .isEqualTo("acme-team");
    // "a-b"+"c" and "a"+"b-c" would both render a-b-c: a hyphenated tenant always gets a hash.
    String hyphenated = new ComputeNamespaces("a-b", "{tenant}-{namespace}").of("c");
    assertThat(hyphenated).startsWith("a-b-c-").hasSize("a-b-c-".length() + 10);
    assertThat(hyphenated)
        .isNotEqualTo(new ComputeNamespaces("a", "{tenant}-{namespace}").of("b-c"));
    String longNs = "n".repeat(63);
    String mapped = new ComputeNamespaces("acme", "{tenant}-{namespace}").of(longNs);
    assertThat(mapped).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(mapped)
        .isNotEqualTo(new ComputeNamespaces("acme", "{tenant}-{namespace}").of(longNs + "x"));
    // Many namespaces, no two alike.
    ComputeNamespaces ns = new ComputeNamespaces("t", "{tenant}-{namespace}");
    Set<String> names =
        IntStream.range(0, 2000).mapToObj(i -> ns.of("ns-" + i)).collect(Collectors.toSet());
    assertThat(names).hasSize(2000);
  }

  @Test
  void fixedNamespacesAreNamedAsTheComputeChartNamesThemWithoutAHash() {
    ForwardingConfig fixed =
        ForwardingConfig.defaults("ml-team", "vn")
            .withComputeNamespaces(List.of("ml-team-training"), "ml-team-{namespace}");
    assertThat(fixed.fixedNamespaces()).isTrue();
    assertThat(ComputeNamespaces.of(fixed).of("training")).isEqualTo("ml-team-training");
    // The dynamic rule would hash the hyphenated tenant's names: the chart never does.
    assertThat(ComputeNamespaces.of(ForwardingConfig.defaults("ml-team", "vn")).of("training"))
        .isNotEqualTo("ml-team-training");
    // A prefix that does not spell the tenant is fine when the set fences the namespaces.
    assertThat(
            ComputeNamespaces.of(
                    ForwardingConfig.defaults("vision", "vn")
                        .withComputeNamespaces(List.of("vis-a"), "vis-{namespace}"))
                .of("a"))
        .isEqualTo("vis-a");
    assertThatThrownBy(
            () -> ForwardingConfig.defaults("vision", "vn").withNamespaceRule("vis-{namespace}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConfigWithoutEitherPlaceholderOrWithAnInvalidTenantIsRefused() {
    assertThatThrownBy(() -> config.withNamespaceRule("{tenant}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{namespace}");
    assertThatThrownBy(() -> ForwardingConfig.defaults("Acme_Corp", "vn"))
        .hasMessageContaining("DNS label");
    assertThatThrownBy(() -> config.withPriorityClassTiers(Map.of("x", "medium")))
        .hasMessageContaining("high or low");
  }

  @Test
  void gangNamesAreTenantAndNamespaceQualifiedAndFitALabel() {
    assertThat(ComputeNames.gang("acme", "team", "job")).isEqualTo("acme.team.job");
    String long1 = ComputeNames.gang("acme", "n".repeat(40), "j".repeat(40));
    String long2 = ComputeNames.gang("acme", "n".repeat(40), "j".repeat(39) + "k");
    assertThat(long1).hasSizeLessThanOrEqualTo(63).isNotEqualTo(long2);
  }

  @Test
  void tiersComeFromThePriorityClassMapWithADefault() {
    Pod prod = pod();
    prod.getSpec().setPriorityClassName("prod");
    prod.getSpec().setPriority(1000);
    Pod out = translator.toCompute(prod);
    assertThat(out.getMetadata().getLabels()).containsEntry("strata.dev/tier", "high");
    assertThat(out.getSpec().getPriorityClassName()).isEqualTo("strata-high");
    assertThat(out.getSpec().getPriority()).isNull();
    Pod forged = pod();
    forged.getMetadata().getLabels().put("strata.dev/tier", "high");
    forged.getMetadata().getLabels().put("strata.dev/tenant", "someone-else");
    Pod low = translator.toCompute(forged);
    assertThat(low.getMetadata().getLabels())
        .containsEntry("strata.dev/tier", "low")
        .containsEntry("strata.dev/tenant", "acme");
    assertThat(low.getSpec().getPriorityClassName()).isEqualTo("strata-low");
  }

  @Test
  void namesInEnvAndDownwardApiKeepMeaningAfterTheHop() {
    Pod out = translator.toCompute(pod());
    var env = out.getSpec().getContainers().get(0).getEnv();
    assertThat(env.get(0).getValue())
        .isEqualTo(
            "{\"cluster\":{\"worker\":[\"job-worker-0.acme-team.svc:2222\",\"job-worker-1:2222\"]}}");
    assertThat(env.get(1).getValue()).isEqualTo("team");
    assertThat(env.get(1).getValueFrom()).isNull();
    assertThat(env.get(2).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    assertThat(out.getSpec().getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("nvidia.com/gpu");
    // The tenant pod itself is not touched.
    assertThat(pod().getSpec().getNodeName()).isEqualTo("vn");
  }

  @Test
  void onlyWholeNamespaceLabelsAreRewritten() {
    assertThat(PodTranslator.rewriteNamespace("team.svc.cluster.local", "team", "acme-team"))
        .isEqualTo("acme-team.svc.cluster.local");
    assertThat(PodTranslator.rewriteNamespace("x.myteam.svc", "team", "acme-team"))
        .isEqualTo("x.myteam.svc");
    assertThat(PodTranslator.rewriteNamespace("x.team.svcs", "team", "acme-team"))
        .isEqualTo("x.team.svcs");
    assertThat(PodTranslator.rewriteNamespace("a.team.svc b.team.svc:1", "team", "t"))
        .isEqualTo("a.t.svc b.t.svc:1");
  }

  @Test
  void referencesCoverVolumesEnvPullSecretsAndSelectingHeadlessServices() {
    Pod p =
        new PodBuilder(pod())
            .editSpec()
            .addNewImagePullSecret("pull")
            .addNewVolume()
            .withName("proj")
            .withNewProjected()
            .addNewSource()
            .withNewConfigMap()
            .withName("proj-cm")
            .endConfigMap()
            .endSource()
            .addNewSource()
            .withNewSecret()
            .withName("proj-s")
            .endSecret()
            .endSource()
            .endProjected()
            .endVolume()
            .addNewVolume()
            .withName("ca")
            .withNewConfigMap()
            .withName("kube-root-ca.crt")
            .endConfigMap()
            .endVolume()
            .endSpec()
            .build();
    Service selecting = headless("job", Map.of("app", "job"));
    Service other = headless("other", Map.of("app", "else"));
    Service clusterIp =
        new ServiceBuilder(headless("ip", Map.of("app", "job")))
            .editSpec()
            .withClusterIP("10.0.0.1")
            .endSpec()
            .build();
    Set<DependencyRef> refs = PodReferences.of(p, List.of(selecting, other, clusterIp));
    assertThat(refs)
        .containsExactlyInAnyOrder(
            new DependencyRef(Kind.CONFIG_MAP, "team", "proj-cm"),
            new DependencyRef(Kind.SECRET, "team", "proj-s"),
            new DependencyRef(Kind.SECRET, "team", "pull"),
            new DependencyRef(Kind.SERVICE, "team", "job"));
  }

  static Service headless(String name, Map<String, String> selector) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team")
        .withUid("s-" + name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(selector)
        .endSpec()
        .build();
  }

  @Test
  void serviceAccountTokensDoNotCross() {
    DependencyTranslator deps = new DependencyTranslator(translator);
    assertThat(
            deps.toCompute(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("t")
                    .withNamespace("team")
                    .endMetadata()
                    .withType("kubernetes.io/service-account-token")
                    .build()))
        .isEmpty();
    HasMetadata cm =
        deps.toCompute(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("c")
                    .withNamespace("team")
                    .withUid("c1")
                    .endMetadata()
                    .addToData("a", "b")
                    .build())
            .orElseThrow();
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("acme-team");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("strata.dev/source-uid", "c1")
        .containsEntry("strata.dev/managed-by", "virtual-node-acme");
  }

  @Test
  void orphansAreOwnObjectsWithoutALiveSourceOrReference() {
    Pod live = pod();
    Pod liveCopy = translator.toCompute(live);
    Pod staleCopy =
        translator.toCompute(
            new PodBuilder(pod()).editMetadata().withUid("old").endMetadata().build());
    staleCopy.getMetadata().setName("stale");
    Pod otherTenant = new PodTranslator(ForwardingConfig.defaults("bravo", "vn")).toCompute(pod());
    Pod unlabelled = new PodBuilder(pod()).build();
    DependencyTranslator deps = new DependencyTranslator(translator);
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("unused")
            .withNamespace("team")
            .withUid("u")
            .endMetadata()
            .build();
    HasMetadata unusedCopy = deps.toCompute(cm).orElseThrow();
    Service svc = headless("job", Map.of("app", "job"));
    HasMetadata svcCopy = deps.toCompute(svc).orElseThrow();

    List<HasMetadata> orphans =
        Orphans.find(
            config,
            List.of(live),
            ref -> ref.name().equals("unused") ? cm : ref.name().equals("job") ? svc : null,
            ns -> List.of(svc),
            List.of(liveCopy, staleCopy, otherTenant, unlabelled, unusedCopy, svcCopy));

    assertThat(orphans).containsExactlyInAnyOrder(staleCopy, unusedCopy);
  }
}
