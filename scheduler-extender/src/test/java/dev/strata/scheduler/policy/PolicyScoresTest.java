package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.PodRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyScoresTest {

  private final ClusterState cluster =
      new ClusterState(
          List.of(node("four", 4, "T4"), node("eight", 8, "G2"), node("used", 4, "T4")));
  private final NodeState four = cluster.node("four");
  private final NodeState eight = cluster.node("eight");
  private final NodeState used = cluster.node("used");

  PolicyScoresTest() {
    // "used" keeps 500 milli free on GPU 0.
    cluster.bind(new Placement(gpuPod("s", 0, 1, 500), 2, "used", new int[] {0}));
  }

  @Test
  void bestFitScoresLeftoverCpuAndGpuThenRescalesOverCandidates() {
    BestFit bestFit = new BestFit();
    // Leftover (56 of 128 cores, 3 of 8 GPUs) weighs 0.40625; 59.375 truncates to 59.
    assertThat(bestFit.score(gpuPod("p", 8_000, 1, 1000), four)).isEqualTo(59);

    long[] scores = {59, 40, 80, 0};
    bestFit.normalize(scores, 3);
    assertThat(scores).startsWith(47, 0, 100);

    long[] equal = {12, 12};
    bestFit.normalize(equal, 2);
    assertThat(equal).containsExactly(0, 0);
  }

  @Test
  void gpuPackingPrefersPartlyUsedGpusThenUsedNodesThenSmallEmptyNodes() {
    GpuPacking packing = new GpuPacking();
    PodRequest whole = gpuPod("w", 1000, 1, 1000);
    PodRequest share = gpuPod("s", 1000, 1, 300);

    assertThat(packing.score(share, used)).as("share on a 50 %% free GPU").isEqualTo(95);
    assertThat(packing.score(whole, used)).as("whole GPU on a used node").isEqualTo(49);
    assertThat(packing.score(whole, four)).as("empty 4-GPU node").isEqualTo(29);
    assertThat(packing.score(whole, eight)).as("empty 8-GPU node").isEqualTo(25);
    assertThat(packing.score(PodRequest.cpuOnly("c", 1000, 1), used)).isZero();
  }

  @Test
  void dotProductFavoursNodesWhoseFreeResourcesAlignLeast() {
    DotProduct dot = new DotProduct();
    // (64/128 * 8/128 + 4/8 * 1/8) / 2 = 0.046875; (1 - 0.046875) * 100 truncates to 95.
    assertThat(dot.score(gpuPod("p", 8_000, 1, 1000), four)).isEqualTo(95);
    assertThat(dot.score(gpuPod("p", 8_000, 1, 1000), eight)).isEqualTo(92);
  }

  @Test
  void spreadPrefersTheNodeLeftWithTheLargestShareOfItselfFreeAndTheLoosestGpuForAShare() {
    Spread spread = new Spread();
    PodRequest one = gpuPod("p", 1000, 1, 1000);

    long onEight = spread.score(one, eight);
    long onFour = spread.score(one, four);
    long onUsed = spread.score(one, used);
    assertThat(onEight).isGreaterThan(onFour);
    assertThat(onFour).isGreaterThan(onUsed);
    assertThat(Policies.create("spread", List.of()).name()).isEqualTo("Spread");
    assertThat(Policies.create("binpack", List.of()).name()).isEqualTo("BestFit");

    // The share goes to a whole free GPU, not the half-used GPU 0 that best fit would take.
    assertThat(spread.shareGpu(gpuPod("s", 1000, 1, 300), used)).isEqualTo(1);
    assertThat(spread.shareGpu(gpuPod("s", 1000, 1, 300), used))
        .isNotEqualTo(new BestFit().shareGpu(gpuPod("s", 1000, 1, 300), used));
  }
}
