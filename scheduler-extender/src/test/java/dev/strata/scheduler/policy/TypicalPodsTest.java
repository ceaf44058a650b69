package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TypicalPodsTest {

  private static List<PodRequest> sample() {
    List<PodRequest> pods = new ArrayList<>();
    pods.addAll(Collections.nCopies(6, gpuPod("a", 4000, 1, 1000)));
    pods.addAll(Collections.nCopies(3, gpuPod("b", 2000, 1, 500)));
    pods.add(PodRequest.cpuOnly("c", 8000, 1));
    return pods;
  }

  @Test
  void keepsTheMostCommonShapesUntilTheyCoverTheShare() {
    List<TypicalPods.Shape> all = TypicalPods.of(sample(), 95).shapes();
    assertThat(all).extracting(TypicalPods.Shape::cpuMilli).containsExactly(4000L, 2000L, 8000L);
    assertThat(all).extracting(TypicalPods.Shape::frequency).containsExactly(0.6, 0.3, 0.1);

    List<TypicalPods.Shape> most = TypicalPods.of(sample(), 90).shapes();
    assertThat(most).hasSize(2);
    assertThat(most.get(0).frequency()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(most.get(1).frequency()).isCloseTo(1 / 3.0, within(1e-12));
  }

  @Test
  void modelsAsWrittenCountShapesApartThatTheModelSetMerges() {
    // FGD's artifact keys shapes by the model annotation's text: "V100|V100" is not "V100" there.
    List<PodRequest> pods = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      pods.add(new PodRequest("p" + i, 4000, 1, 1, 500, Set.of("V100")));
    }
    pods.add(PodRequest.cpuOnly("c", 8000, 1));
    Function<PodRequest, String> written =
        pod -> Set.of("p17", "p18").contains(pod.name()) ? "V100|V100" : "V100";

    List<TypicalPods.Shape> merged = TypicalPods.of(pods).shapes();
    List<TypicalPods.Shape> apart = TypicalPods.of(pods, written).shapes();

    // 19 of 20 pods reach the 95 % cut-off with one shape, or with the two it becomes.
    assertThat(merged).extracting(TypicalPods.Shape::gpuModels).containsExactly("V100");
    assertThat(merged.get(0).frequency()).isCloseTo(1.0, within(1e-12));
    assertThat(apart).extracting(TypicalPods.Shape::gpuModels).containsExactly("V100", "V100|V100");
    assertThat(apart.get(0).frequency()).isCloseTo(17 / 19.0, within(1e-12));
    assertThat(apart.get(1).frequency()).isCloseTo(2 / 19.0, within(1e-12));
    assertThat(apart.get(1).accessibleOn("V100")).isTrue();
    assertThat(apart.get(1).accessibleOn("P100")).isFalse();
  }

  @Test
  void equallyCommonShapesAreOrderedLargerFirst() {
    List<PodRequest> pods = List.of(gpuPod("x", 1000, 1, 500), gpuPod("y", 2000, 1, 500));
    assertThat(TypicalPods.of(pods).shapes())
        .extracting(TypicalPods.Shape::cpuMilli)
        .containsExactly(2000L, 1000L);
  }
}
