package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.PodRequest;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnedOnlineTest {

  @Test
  void knowsNothingUntilEnoughPodsHaveArrivedThenScoresAsTheOfflinePolicyWould() {
    ClusterState cluster =
        new ClusterState(List.of(new NodeSpec("lean", 70_000, 512_000, 8, "G2")));
    LearnedOnline online = new LearnedOnline("StrataOnline", CpuBalancedFgd::fromHistory);
    PodRequest cpuPod = PodRequest.cpuOnly("etl", 16_000, 1024);
    List<PodRequest> history = Collections.nCopies(16, gpuPod("a", 8_000, 1, 1000));

    for (int i = 0; i < 15; i++) {
      online.arrived(history.get(i));
    }
    assertThat(online.generation()).isZero();
    assertThat(online.score(cpuPod, cluster.node("lean"))).isZero();

    online.arrived(history.get(15));
    assertThat(online.generation()).isEqualTo(1);
    assertThat(online.score(cpuPod, cluster.node("lean")))
        .isEqualTo(CpuBalancedFgd.fromHistory(history).score(cpuPod, cluster.node("lean")))
        .isEqualTo(-10_000);
  }
}
