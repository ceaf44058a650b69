package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NvLinkGroups;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSpecsTest {

  private static NodeBuilder gpuNode(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(KubeKeys.GPU_MODEL_LABEL, "V100")
        .addToLabels("strata.dev/rack", "r1")
        .addToAnnotations(KubeKeys.NVLINK_GROUPS_ANNOTATION, "0-3,4-7")
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("95500m"))
        .addToAllocatable("memory", new Quantity("512Gi"))
        .addToAllocatable(KubeKeys.GPU_RESOURCE, new Quantity("8"))
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus();
  }

  @Test
  void readsAllocatableModelAndLabels() {
    NodeSpec spec = NodeSpecs.from(gpuNode("n1").build()).value();

    assertThat(spec.name()).isEqualTo("n1");
    assertThat(spec.cpuMilli()).isEqualTo(95_500);
    assertThat(spec.memoryMib()).isEqualTo(512 * 1024);
    assertThat(spec.gpuCount()).isEqualTo(8);
    assertThat(spec.gpuModel()).isEqualTo("V100");
    assertThat(spec.labels())
        .containsEntry("strata.dev/rack", "r1")
        .containsEntry(KubeKeys.NVLINK_GROUPS_ANNOTATION, "0-3,4-7");
    assertThat(spec.nvLinkGroups()).isEqualTo(NvLinkGroups.parse("0-3,4-7"));
  }

  @Test
  void nvLinkGroupsThatAreMalformedOrNameAMissingGpuRejectTheNode() {
    Node malformed = gpuNode("n2").build();
    malformed.getMetadata().getAnnotations().put(KubeKeys.NVLINK_GROUPS_ANNOTATION, "0-3,x");
    Node beyond = gpuNode("n3").build();
    beyond.getMetadata().getAnnotations().put(KubeKeys.NVLINK_GROUPS_ANNOTATION, "0-7,8-15");

    assertThat(NodeSpecs.from(malformed).reason())
        .startsWith("node n2 has a bad strata.dev/nvlink-groups");
    assertThat(NodeSpecs.from(beyond).reason()).startsWith("node n3: ").contains("GPU 15");
  }

  @Test
  void aNodeWithoutGpusOrStatusIsEmptyNotAnError() {
    Node node = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();

    NodeSpec spec = NodeSpecs.from(node).value();

    assertThat(spec.gpuCount()).isZero();
    assertThat(spec.cpuMilli()).isZero();
    assertThat(spec.gpuModel()).isEmpty();
  }

  @Test
  void cordonedNotReadyAndTaintedNodesAreExcludedWithAReason() {
    Node cordoned = gpuNode("c").withNewSpec().withUnschedulable(true).endSpec().build();
    Node notReady =
        gpuNode("r")
            .editStatus()
            .withConditions(
                new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus("Unknown")
                    .build())
            .endStatus()
            .build();
    Node tainted =
        gpuNode("t")
            .withNewSpec()
            .addNewTaint()
            .withKey("virtual-kubelet.io/provider")
            .withValue("strata")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .build();
    Node preferNot =
        gpuNode("p")
            .withNewSpec()
            .addNewTaint()
            .withKey("k")
            .withEffect("PreferNoSchedule")
            .endTaint()
            .endSpec()
            .build();

    assertThat(NodeSpecs.from(cordoned).reason())
        .isEqualTo("node c is cordoned (spec.unschedulable)");
    assertThat(NodeSpecs.from(notReady).reason()).isEqualTo("node r is not Ready (Ready=Unknown)");
    assertThat(NodeSpecs.from(tainted).reason())
        .isEqualTo("node t has taint virtual-kubelet.io/provider=strata:NoSchedule");
    assertThat(NodeSpecs.from(preferNot).isOk()).isTrue();

    NodeSpecs.Usable usable =
        NodeSpecs.usable(List.of(gpuNode("z").build(), cordoned, gpuNode("a").build(), tainted));
    assertThat(usable.nodes()).extracting(NodeSpec::name).containsExactly("a", "z");
    assertThat(usable.excluded()).containsOnlyKeys("c", "t");
  }

  @Test
  void aFractionalGpuCountIsRejected() {
    Node node =
        gpuNode("f")
            .editStatus()
            .addToAllocatable(KubeKeys.GPU_RESOURCE, new Quantity("1500m"))
            .endStatus()
            .build();

    assertThat(NodeSpecs.from(node).reason())
        .isEqualTo(
            "node f has a bad allocatable resource: nvidia.com/gpu must be a whole number, not 1.5");
    assertThat(NodeSpecs.usable(List.of(node)).excluded())
        .isEqualTo(Map.of("f", NodeSpecs.from(node).reason()));
  }
}
