package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.PodRequest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodRequestsTest {

  static Container container(Map<String, String> requests, Map<String, String> limits) {
    ContainerBuilder b = new ContainerBuilder().withName("c").withNewResources().endResources();
    requests.forEach((k, v) -> b.editResources().addToRequests(k, new Quantity(v)).endResources());
    limits.forEach((k, v) -> b.editResources().addToLimits(k, new Quantity(v)).endResources());
    return b.build();
  }

  static PodBuilder pod(Container... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("ns")
        .endMetadata()
        .withNewSpec()
        .withContainers(containers)
        .endSpec();
  }

  @Test
  void sumsContainersAndTakesGpuLimitsAsRequests() {
    Pod p =
        pod(
                container(Map.of("cpu", "1500m", "memory", "1Gi"), Map.of("nvidia.com/gpu", "2")),
                container(Map.of("cpu", "500m", "memory", "512Mi"), Map.of()))
            .build();

    PodRequest r = PodRequests.from(p).value();

    assertThat(r.name()).isEqualTo("p");
    assertThat(r.cpuMilli()).isEqualTo(2000);
    assertThat(r.memoryMib()).isEqualTo(1536);
    assertThat(r.gpuCount()).isEqualTo(2);
    assertThat(r.gpuMilli()).isEqualTo(1000);
    assertThat(r.allowedGpuModels()).isEmpty();
  }

  @Test
  void aLargerInitContainerSetsTheRequestAndSidecarsAdd() {
    Container big = container(Map.of("cpu", "4", "memory", "100Mi"), Map.of());
    Container sidecar = container(Map.of("cpu", "1", "memory", "10Mi"), Map.of());
    sidecar.setRestartPolicy("Always");
    Pod p =
        pod(container(Map.of("cpu", "2", "memory", "1Gi"), Map.of()))
            .editSpec()
            .withInitContainers(sidecar, big)
            .endSpec()
            .build();

    PodRequest r = PodRequests.from(p).value();

    // init phase peak: big (4) with the sidecar started before it (1) = 5 cores;
    // running: containers (2) + sidecar (1) = 3 cores; memory: 1024 + 10 > 100 + 10.
    assertThat(r.cpuMilli()).isEqualTo(5000);
    assertThat(r.memoryMib()).isEqualTo(1034);
  }

  @Test
  void aGpuShareIsOneGpuOfThatManyMilli() {
    Pod p = pod(container(Map.of("strata.dev/gpu-milli", "300"), Map.of())).build();

    PodRequest r = PodRequests.from(p).value();

    assertThat(r.gpuCount()).isEqualTo(1);
    assertThat(r.gpuMilli()).isEqualTo(300);
    assertThat(r.isGpuShare()).isTrue();
  }

  @Test
  void badValuesComeBackAsReasons() {
    assertThat(
            PodRequests.from(
                    pod(container(Map.of("strata.dev/gpu-milli", "1000"), Map.of())).build())
                .reason())
        .isEqualTo(
            "pod p asks for strata.dev/gpu-milli 1000; a share is 1..999 (use nvidia.com/gpu for"
                + " whole GPUs)");
    assertThat(
            PodRequests.from(
                    pod(container(Map.of("strata.dev/gpu-milli", "2.5"), Map.of())).build())
                .reason())
        .isEqualTo(
            "pod p has a bad resource request: strata.dev/gpu-milli must be a whole number, not"
                + " 2.5");
    assertThat(
            PodRequests.from(
                    pod(container(
                            Map.of("strata.dev/gpu-milli", "200", "nvidia.com/gpu", "1"), Map.of()))
                        .build())
                .reason())
        .startsWith("pod p asks for both nvidia.com/gpu and strata.dev/gpu-milli");
    assertThat(PodRequests.from(pod(container(Map.of("cpu", "lots"), Map.of())).build()).reason())
        .startsWith("pod p has a bad resource request: cpu quantity");
  }

  @Test
  void nodeSelectorAndRequiredAffinityRestrictModels() {
    Container gpu = container(Map.of(), Map.of("nvidia.com/gpu", "1"));
    Pod bySelector =
        pod(gpu).editSpec().addToNodeSelector(KubeKeys.GPU_MODEL_LABEL, "V100").endSpec().build();
    assertThat(PodRequests.from(bySelector).value().allowedGpuModels()).containsExactly("V100");

    Pod byAffinity =
        pod(gpu)
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(term("In", "V100", "P100"), term("In", "T4"))
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    assertThat(PodRequests.from(byAffinity).value().allowedGpuModels())
        .isEqualTo(Set.of("V100", "P100", "T4"));

    Pod both =
        new PodBuilder(byAffinity)
            .editSpec()
            .addToNodeSelector(KubeKeys.GPU_MODEL_LABEL, "P100")
            .endSpec()
            .build();
    assertThat(PodRequests.from(both).value().allowedGpuModels()).containsExactly("P100");

    Pod contradiction =
        new PodBuilder(byAffinity)
            .editSpec()
            .addToNodeSelector(KubeKeys.GPU_MODEL_LABEL, "A100")
            .endSpec()
            .build();
    assertThat(PodRequests.from(contradiction).reason()).contains("allow no GPU model at all");

    Pod notIn =
        pod(gpu)
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(term("NotIn", "V100"))
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    assertThat(PodRequests.from(notIn).reason())
        .isEqualTo(
            "pod p uses operator NotIn on strata.dev/gpu-model in its required node affinity; only"
                + " In is supported");

    Pod otherKeyTerm =
        pod(gpu)
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(
                term("In", "V100"),
                new NodeSelectorTermBuilder()
                    .addToMatchExpressions(
                        new NodeSelectorRequirementBuilder()
                            .withKey("zone")
                            .withOperator("In")
                            .withValues("a")
                            .build())
                    .build())
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    assertThat(PodRequests.from(otherKeyTerm).value().allowedGpuModels()).isEmpty();
  }

  private static io.fabric8.kubernetes.api.model.NodeSelectorTerm term(
      String operator, String... values) {
    return new NodeSelectorTermBuilder()
        .addToMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey(KubeKeys.GPU_MODEL_LABEL)
                .withOperator(operator)
                .withValues(values)
                .build())
        .build();
  }
}
