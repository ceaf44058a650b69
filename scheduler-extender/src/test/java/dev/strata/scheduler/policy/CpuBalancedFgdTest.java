package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.TieBreak;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuBalancedFgdTest {

  private static final List<PodRequest> HISTORY =
      List.of(
          gpuPod("a", 8_000, 1, 1000), gpuPod("b", 16_000, 2, 1000), gpuPod("c", 4_000, 1, 500));

  @Test
  void learnsCpuPerGpuFromPastGpuPods() {
    // 28 cores over 3.5 GPUs.
    assertThat(CpuBalancedFgd.cpuPerGpu(HISTORY)).isCloseTo(8.0, within(1e-12));
    assertThat(CpuBalancedFgd.cpuPerGpu(List.of(PodRequest.cpuOnly("x", 1000, 1)))).isZero();
  }

  @Test
  void cpuOnlyPodsGoWhereGpusKeepTheCpuTheyNeed() {
    // Both nodes have 8 free GPUs; "lean" has 70 cores (short of the 64 + 16 its GPUs and the pod
    // need), "rich" 100 cores, so the pod goes to "rich" even though the tie-break favours "lean".
    ClusterState cluster =
        new ClusterState(
            List.of(
                new NodeSpec("lean", 70_000, 512_000, 8, "G2"),
                new NodeSpec("rich", 100_000, 512_000, 8, "G2")));
    CpuBalancedFgd policy = CpuBalancedFgd.fromHistory(HISTORY);
    Placer placer = new Placer(policy, TieBreak.nodeOrder(2));
    PodRequest cpuPod = PodRequest.cpuOnly("etl", 16_000, 1024);

    assertThat(policy.score(cpuPod, cluster.node("lean"))).isEqualTo(-10_000);
    assertThat(policy.score(cpuPod, cluster.node("rich"))).isZero();
    assertThat(((Placement) placer.decide(cpuPod, cluster)).nodeName()).isEqualTo("rich");
  }

  @Test
  void gpuPodsAreScoredAsFgdScoresThem() {
    ClusterState cluster = new ClusterState(List.of(new NodeSpec("n", 64_000, 512_000, 4, "T4")));
    CpuBalancedFgd policy = CpuBalancedFgd.fromHistory(HISTORY);
    Fgd fgd = new Fgd(TypicalPods.of(HISTORY));
    for (PodRequest pod :
        List.of(
            gpuPod("w", 8_000, 1, 1000), gpuPod("s", 4_000, 1, 500), gpuPod("m", 8_000, 2, 1000))) {
      assertThat(policy.score(pod, cluster.node("n"))).isEqualTo(fgd.score(pod, cluster.node("n")));
    }
  }
}
