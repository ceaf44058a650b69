package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
  void equallyCommonShapesAreOrderedLargerFirst() {
    List<PodRequest> pods = List.of(gpuPod("x", 1000, 1, 500), gpuPod("y", 2000, 1, 500));
    assertThat(TypicalPods.of(pods).shapes())
        .extracting(TypicalPods.Shape::cpuMilli)
        .containsExactly(2000L, 1000L);
  }
}
