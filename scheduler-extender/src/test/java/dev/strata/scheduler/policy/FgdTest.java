package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.PodRequest;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FgdTest {

  private static List<PodRequest> times(int n, PodRequest pod) {
    return Collections.nCopies(n, pod);
  }

  @Test
  void fragmentationCountsFreeMilliThatTypicalPodsCannotUse() {
    TypicalPods typical =
        TypicalPods.of(
            Stream.concat(
                    times(3, gpuPod("half", 1000, 1, 500)).stream(),
                    times(1, gpuPod("whole", 1000, 1, 1000)).stream())
                .toList());
    Fgd fgd = new Fgd(typical);

    assertThat(fgd.fragmentation("T4", 10_000, new int[] {1000, 1000})).isZero();
    // A half-GPU pod fits, but the whole-GPU pod (a quarter of pods) finds 500 milli it cannot use.
    assertThat(fgd.fragmentation("T4", 10_000, new int[] {500, 1000})).isCloseTo(125, within(1e-9));
    // Without CPU nothing fits, so every free milli counts for every pod.
    assertThat(fgd.fragmentation("T4", 0, new int[] {500, 1000})).isCloseTo(1500, within(1e-9));
  }

  @Test
  void podsRestrictedToAnotherModelSeeTheWholeNodeAsFragment() {
    TypicalPods typical =
        TypicalPods.of(times(2, new PodRequest("v", 1000, 1, 1, 1000, Set.of("V100M32"))));
    assertThat(new Fgd(typical).fragmentation("T4", 10_000, new int[] {1000, 1000}))
        .isCloseTo(2000, within(1e-9));
  }

  @Test
  void aShareGoesWhereFragmentationGrowsLeastNotToTheTightestGpu() {
    Fgd fgd = new Fgd(TypicalPods.of(times(4, gpuPod("half", 1000, 1, 500))));
    ClusterState cluster = new ClusterState(List.of(node("a", 2, "T4")));
    cluster.bind(new Placement(gpuPod("x", 0, 1, 400), 0, "a", new int[] {0}));
    cluster.bind(new Placement(gpuPod("y", 0, 1, 100), 0, "a", new int[] {1}));
    NodeState a = cluster.node("a");
    PodRequest pod = gpuPod("p", 1000, 1, 400);

    // GPUs have 600 and 900 free. On GPU 0, 200 milli would be too small for a half-GPU pod; on
    // GPU 1 the remaining 500 still fits one, so nothing fragments and the score is the neutral 50.
    assertThat(fgd.shareGpu(pod, a)).isEqualTo(1);
    assertThat(fgd.score(pod, a)).isEqualTo(50);
  }

  @Test
  void wholeGpuPodsScoreBySigmoidOfFragmentationDecrease() {
    Fgd fgd =
        new Fgd(
            TypicalPods.of(
                Stream.concat(
                        times(3, gpuPod("half", 1000, 1, 500)).stream(),
                        times(1, gpuPod("two", 1000, 2, 1000)).stream())
                    .toList()));
    ClusterState cluster = new ClusterState(List.of(node("a", 2, "T4")));
    // Taking one of two GPUs leaves 1000 milli the two-GPU pod (a quarter) cannot use: 250 more.
    assertThat(fgd.score(gpuPod("p", 1000, 1, 1000), cluster.node("a")))
        .isEqualTo((long) (100 / (1 + Math.exp(0.25))));
  }

  @Test
  void theCpuAwareMeasureCountsGpusThatRunningOutOfCpuStrands() {
    TypicalPods typical = TypicalPods.of(times(4, gpuPod("w", 11_000, 1, 1000)));
    int[] eightFree = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};

    // Twenty cores admit one eleven-core pod: FGD sees no fragment, the CPU-aware measure seven
    // GPUs.
    assertThat(new Fgd(typical).fragmentation("G2", 20_000, eightFree)).isZero();
    assertThat(new Fgd(typical, true).fragmentation("G2", 20_000, eightFree))
        .isCloseTo(7000, within(1e-9));
    assertThat(new Fgd(typical, true).fragmentation("G2", 96_000, eightFree)).isZero();
  }
}
