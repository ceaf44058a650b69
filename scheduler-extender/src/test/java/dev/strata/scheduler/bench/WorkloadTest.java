package dev.strata.scheduler.bench;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  private static List<PodRequest> trace() {
    List<PodRequest> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pods.add(gpuPod(String.format("pod-%02d", i), 1000, 1 + i % 2, i % 2 == 0 ? 500 : 1000));
    }
    return pods;
  }

  private static long gpuMilli(List<PodRequest> pods) {
    return pods.stream().mapToLong(PodRequest::totalGpuMilli).sum();
  }

  @Test
  void growsWithClonesUntilTheNextWouldOvershoot() {
    // The trace asks for 25,000 milli; the target is 1.3 x 40,000.
    Workload workload = Workload.draw(trace(), 5, 40_000, 1.3, 42);

    // The artifact checks each clone's per-GPU milli against the target, so a multi-GPU clone
    // may end above it; the next draw is the first whose per-GPU milli would not fit.
    List<PodRequest> pods = workload.pods();
    PodRequest last = pods.get(pods.size() - 1);
    long beforeLast = gpuMilli(pods) - last.totalGpuMilli();
    assertThat(beforeLast + last.gpuMilli()).isLessThanOrEqualTo(52_000);
    assertThat(gpuMilli(pods)).isGreaterThan(52_000 - 1_000);
    assertThat(workload.pods().subList(0, 20)).containsExactlyInAnyOrderElementsOf(trace());
    assertThat(workload.pods().get(20).name()).endsWith("-tuned-0");
    assertThat(workload.tieRanks()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
  }

  @Test
  void shrinksByRemovingRandomPodsUntilNotAboveTheTarget() {
    Workload workload = Workload.draw(trace(), 5, 10_000, 1.3, 42);

    assertThat(gpuMilli(workload.pods())).isLessThanOrEqualTo(13_000);
    assertThat(trace()).containsAll(workload.pods());
  }

  @Test
  void theSameSeedDrawsTheSameWorkload() {
    assertThat(Workload.draw(trace(), 5, 40_000, 1.3, 7).pods())
        .isEqualTo(Workload.draw(trace(), 5, 40_000, 1.3, 7).pods())
        .isNotEqualTo(Workload.draw(trace(), 5, 40_000, 1.3, 8).pods());
  }

  @Test
  void theNodeOrderIsDrawnAfterTheSchedulersInformersDrawTheirWatchTimeouts() {
    // Ratio 0 leaves the list as it is: the stream is the logged value, the shuffle, then the
    // informers' ten Float64 draws, then the node permutation.
    GoRandom expected = new GoRandom(42);
    expected.nextInt();
    expected.shuffle(new ArrayList<>(trace()));
    GoRandom withoutInformers = new GoRandom(42);
    withoutInformers.nextInt();
    withoutInformers.shuffle(new ArrayList<>(trace()));
    for (int i = 0; i < 10; i++) {
      expected.float64();
    }

    int[] tieRanks = Workload.draw(trace(), 50, 40_000, 0, 42).tieRanks();

    assertThat(tieRanks).containsExactly(expected.perm(50)).isNotEqualTo(withoutInformers.perm(50));
  }

  @Test
  void theInverseTieOrderIsAnotherPermutationOverTheSamePods() {
    Workload drawn = Workload.draw(trace(), 7, 40_000, 1.3, 42);
    Workload inverse = drawn.withInverseTieOrder();

    assertThat(inverse.pods()).isEqualTo(drawn.pods());
    assertThat(inverse.tieRanks()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    for (int i = 0; i < 7; i++) {
      assertThat(inverse.tieRanks()[drawn.tieRanks()[i]]).isEqualTo(i);
    }
    assertThat(inverse.withInverseTieOrder().tieRanks()).containsExactly(drawn.tieRanks());
  }
}
