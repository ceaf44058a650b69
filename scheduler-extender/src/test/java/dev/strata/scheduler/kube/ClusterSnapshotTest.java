package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.Tier;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  static Node node(String name, int gpus) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(KubeKeys.GPU_MODEL_LABEL, "V100")
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("32"))
        .addToAllocatable("memory", new Quantity("128Gi"))
        .addToAllocatable(KubeKeys.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
        .endStatus()
        .build();
  }

  static PodBuilder pod(String name, int gpus, String node, String indices) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("ns")
            .withUid("uid-" + name)
            .withCreationTimestamp("2026-01-01T11:00:00Z")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withNewResources()
            .addToLimits(KubeKeys.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
            .endResources()
            .endContainer()
            .endSpec();
    if (indices != null) {
      b.editMetadata().addToAnnotations(KubeKeys.GPU_INDICES_ANNOTATION, indices).endMetadata();
    }
    return b;
  }

  @Test
  void boundPodsRunOnTheirRecordedGpusAndUnrecordedOnesOnTheLowestLeft() {
    Pod unrecorded = pod("ext", 2, "n1", null).build();
    Pod recorded = pod("ours", 2, "n1", "0,1").build();

    ClusterSnapshot s =
        ClusterSnapshot.of(List.of(node("n1", 4)), List.of(unrecorded, recorded), Map.of(), NOW);

    assertThat(s.running())
        .extracting(
            r -> r.placement().pod().name() + "@" + GpuIndices.format(r.placement().gpuIndices()))
        .containsExactly("ours@0,1", "ext@2,3");
    RunningPod ours = s.running().get(0);
    assertThat(ours.gang()).isEqualTo("ns/pod/ours");
    assertThat(ours.tier()).isEqualTo(Tier.HIGH);
    assertThat(ours.tenant()).isEqualTo("ns");
    assertThat(ours.runningSeconds()).isEqualTo(3600);
    assertThat(s.pod(ours)).isSameAs(recorded);
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void finishedPendingAndElsewherePodsHoldNothingButAssumedOnesDo() {
    Pod done =
        pod("done", 4, "n1", "0,1,2,3").withNewStatus().withPhase("Succeeded").endStatus().build();
    Pod pending = pod("pending", 1, null, null).build();
    Pod assumed = pod("assumed", 2, null, null).build();
    Pod onCordoned = pod("away", 1, "n2", "0").build();
    Node cordoned =
        new NodeBuilder(node("n2", 4)).withNewSpec().withUnschedulable(true).endSpec().build();

    ClusterSnapshot s =
        ClusterSnapshot.of(
            List.of(node("n1", 4), cordoned),
            List.of(done, pending, assumed, onCordoned),
            Map.of("uid-assumed", new ClusterSnapshot.Assumed("n1", new int[] {2, 3})),
            NOW);

    assertThat(s.nodes()).extracting(n -> n.name()).containsExactly("n1");
    assertThat(s.excludedNodes()).containsOnlyKeys("n2");
    assertThat(s.running())
        .singleElement()
        .satisfies(
            r -> assertThat(r.placement().toString()).isEqualTo("assumed -> n1 GPUs [2, 3]"));
  }

  @Test
  void aPodOnGpusAlreadyTakenIsAProblemNotADoubleCount() {
    Pod first = pod("first", 2, "n1", "0,1").build();
    // The older pod keeps the GPU; the later one is the one in the wrong.
    Pod clash = pod("clash", 1, "n1", "1").build();
    clash.getMetadata().setCreationTimestamp("2026-01-01T11:30:00Z");
    Pod bad = pod("bad", 1, "n1", null).build();
    bad.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getLimits()
        .put(KubeKeys.GPU_RESOURCE, new Quantity("0.5"));

    ClusterSnapshot s =
        ClusterSnapshot.of(List.of(node("n1", 2)), List.of(first, clash, bad), Map.of(), NOW);

    assertThat(s.running()).extracting(r -> r.placement().pod().name()).containsExactly("first");
    assertThat(s.problems())
        .containsEntry("ns/clash", "pod clash holds GPU 1 of node n1, already taken")
        .containsKey("ns/bad");
  }
}
