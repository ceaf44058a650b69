package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which GPUs of the chosen node a pod gets, with and without NVLink groups. */
class NvLinkGpuChoiceTest {

  private static NodeSpec node(String groups) {
    return new NodeSpec("n", 64_000, 256 * 1024, 8, "V100", Map.of(), NvLinkGroups.parse(groups));
  }

  /** Places pods of the given GPU counts one after another on one node; returns their GPUs. */
  private static int[][] place(NodeSpec spec, int... gpuCounts) {
    ClusterState cluster = new ClusterState(List.of(spec));
    Placer placer = Packing.placer(1);
    int[][] gpus = new int[gpuCounts.length][];
    for (int i = 0; i < gpuCounts.length; i++) {
      Placement p = (Placement) placer.decide(gpuPod("p" + i, 1000, gpuCounts[i], 1000), cluster);
      cluster.bind(p);
      gpus[i] = p.gpuIndices();
    }
    return gpus;
  }

  @Test
  void aMultiGpuPodGetsGpusOfOneNvLinkGroup() {
    // After two one-GPU pods, lowest-index choice would give the 4-GPU pod 2,3,4,5 across both
    // groups; NVLink-aware choice keeps the one-GPU pods in one group and the 4 in the other.
    assertThat(place(node("0-3,4-7"), 1, 1, 4))
        .isDeepEqualTo(new int[][] {new int[] {0}, new int[] {1}, new int[] {4, 5, 6, 7}});
    assertThat(place(node(null), 1, 1, 4))
        .isDeepEqualTo(new int[][] {new int[] {0}, new int[] {1}, new int[] {2, 3, 4, 5}});
  }

  @Test
  void theGroupWithFewestFreeGpusThatSufficeIsTaken() {
    // Pairs 0-1, 2-3, 4-5, 6-7: a 2-GPU pod after a 1-GPU pod takes a whole other pair, and a
    // second 1-GPU pod fills the broken pair.
    assertThat(place(node("0-1,2-3,4-5,6-7"), 1, 2, 1))
        .isDeepEqualTo(new int[][] {new int[] {0}, new int[] {2, 3}, new int[] {1}});
  }

  @Test
  void aGpuOutsideEveryGroupServesOneGpuPodsFirst() {
    // GPUs 6 and 7 have no NVLink: one-GPU pods take them and leave the 0-5 group whole.
    assertThat(
            place(
                new NodeSpec(
                    "n", 64_000, 256 * 1024, 8, "V100", Map.of(), NvLinkGroups.parse("0-5")),
                1,
                1,
                6))
        .isDeepEqualTo(new int[][] {new int[] {6}, new int[] {7}, new int[] {0, 1, 2, 3, 4, 5}});
  }

  @Test
  void aPodLargerThanAnyFreeGroupSpansAsFewGroupsAsPossible() {
    // Groups 0-3, 4-5, 6-7; the one-GPU pod takes 4 (best fit), leaving 4, 1 and 2 free. Lowest
    // indices would give the 5-GPU pod 0-3 and 5, three groups; the fullest groups give two.
    assertThat(place(node("0-3,4-5,6-7"), 1, 5))
        .isDeepEqualTo(new int[][] {new int[] {4}, new int[] {0, 1, 2, 3, 6}});
  }

  @Test
  void groupsAreParsedAndCheckedAgainstTheNode() {
    assertThat(NvLinkGroups.parse("0-3, 4-7").size()).isEqualTo(2);
    assertThat(NvLinkGroups.parse("0-1,2,3-3").group(1)).containsExactly(2);
    assertThat(NvLinkGroups.parse("0-3,4-7")).hasToString("0-3,4-7");
    assertThat(NvLinkGroups.parse(" ")).isSameAs(NvLinkGroups.NONE);
    assertThatThrownBy(() -> NvLinkGroups.parse("0-3,x"))
        .hasMessage("strata.dev/nvlink-groups '0-3,x': 'x' is not a GPU index or range like 0-3");
    assertThatThrownBy(() -> NvLinkGroups.parse("3-0"))
        .hasMessage("strata.dev/nvlink-groups '3-0': '3-0' is not a range of GPU indices");
    assertThatThrownBy(() -> NvLinkGroups.parse("0-3,3-7"))
        .hasMessage("GPU 3 is in two NVLink groups");
    assertThatThrownBy(
            () -> new NodeSpec("n", 1, 1, 4, "V100", Map.of(), NvLinkGroups.parse("0-7")))
        .hasMessage("node n has 4 GPUs but its NVLink groups 0-7 name GPU 7");
  }

  @Test
  void gpuIndicesTravelAsAnAnnotationValue() {
    int[] gpus = place(node("0-3,4-7"), 1, 1, 4)[2];

    assertThat(GpuIndices.format(gpus)).isEqualTo("4,5,6,7");
    assertThat(GpuIndices.parse("3")).containsExactly(3);
    assertThat(GpuIndices.parse(" 1, 0")).containsExactly(0, 1);
    assertThat(GpuIndices.parse(null)).isEmpty();
    assertThatThrownBy(() -> GpuIndices.parse("0,0"))
        .hasMessage("strata.dev/gpu-indices '0,0': GPU 0 is negative or repeated");
  }

  @Test
  void everyGangMemberCarriesItsGpuIndices() {
    ClusterState cluster =
        new ClusterState(
            List.of(node("0-3,4-7"), new NodeSpec("m", 64_000, 256 * 1024, 8, "V100")));
    Gang gang =
        new Gang(
            "g",
            "t",
            Tier.LOW,
            List.of(gpuPod("a", 1, 4, 1000), gpuPod("b", 1, 2, 1000), gpuPod("c", 1, 1, 500)));

    GangPlacement placed = (GangPlacement) GangPlacer.decide(gang, cluster, Packing.placer(2));

    assertThat(placed.placements())
        .allSatisfy(
            p ->
                assertThat(p.gpuIndices())
                    .hasSize(1 == p.pod().gpuCount() ? 1 : p.pod().gpuCount()));
    assertThat(placed.placements().stream().map(p -> GpuIndices.format(p.gpuIndices())).toList())
        .containsExactly("0,1,2,3", "4,5", "6");
  }
}
