package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GangPlacerTest {

  private final ClusterState cluster =
      new ClusterState(List.of(node("a", 2, "T4"), node("b", 2, "T4")));
  private final Placer placer = Packing.placer(2);

  private static Gang workers(int n, int gpus) {
    List<PodRequest> members =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(i -> gpuPod("w" + i, 1000, gpus, 1000))
            .toList();
    return new Gang("train", "team-a", Tier.HIGH, members);
  }

  @Test
  void everyMemberIsPlacedAndLaterMembersSeeEarlierOnes() {
    GangPlacement placed = (GangPlacement) GangPlacer.decide(workers(2, 2), cluster, placer);

    assertThat(placed.placements()).extracting(Placement::nodeName).containsExactly("a", "b");
    assertThat(placed.placements()).extracting(p -> p.pod().name()).containsExactly("w0", "w1");
    assertThat(cluster.allocatedGpuMilli()).isZero();
  }

  @Test
  void aGangThatDoesNotFitWhollyPlacesNothingAndNamesTheMember() {
    GangUnschedulable why = (GangUnschedulable) GangPlacer.decide(workers(3, 2), cluster, placer);

    assertThat(why.memberIndex()).isEqualTo(2);
    assertThat(why.member().name()).isEqualTo("w2");
    assertThat(why.why().tooFewFreeGpus()).isEqualTo(2);
    assertThat(why.describe())
        .isEqualTo(
            "gang train cannot start: member w2 finds no node after 2 of 3 members are placed,"
                + " and a gang starts whole or not at all."
                + " 0 of 2 nodes can run w2: 2 nodes have fewer than 2 completely free GPUs.");
    assertThat(cluster.allocatedGpuMilli()).isZero();
  }

  @Test
  void aGangOfOneIsExplainedAsItsPod() {
    Gang big = Gang.of(gpuPod("big", 1000, 4, 1000), "team-a", Tier.LOW);

    GangUnschedulable why = (GangUnschedulable) GangPlacer.decide(big, cluster, placer);

    assertThat(why.describe())
        .isEqualTo("0 of 2 nodes can run big: 2 nodes have fewer than 4 completely free GPUs.");
  }

  @Test
  void theSameInputGivesTheSameDecision() {
    assertThat(GangPlacer.decide(workers(2, 1), cluster, placer))
        .isEqualTo(GangPlacer.decide(workers(2, 1), cluster, Packing.placer(2)));
  }

  @Test
  void gangsNeedMembersWithDistinctNames() {
    assertThatThrownBy(
            () ->
                new Gang(
                    "g", "t", Tier.LOW, List.of(gpuPod("w", 1, 1, 1000), gpuPod("w", 1, 1, 1000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two members w");
    assertThatThrownBy(() -> new Gang("g", "t", Tier.LOW, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
