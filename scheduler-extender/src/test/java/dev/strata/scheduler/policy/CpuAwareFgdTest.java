package dev.strata.scheduler.policy;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.TieBreak;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuAwareFgdTest {

  private static final List<PodRequest> HISTORY =
      Collections.nCopies(4, gpuPod("w", 11_000, 1, 1000));

  private final ClusterState cluster =
      new ClusterState(
          List.of(
              new NodeSpec("rich", 96_000, 512_000, 8, "G2"),
              new NodeSpec("lean", 24_000, 512_000, 8, "G2")));

  @Test
  void aCpuLightGpuPodTakesAGpuThatCpuWouldOtherwiseStrand() {
    // On "lean" only two eleven-core pods can ever run, so six GPUs are stranded already; a
    // two-core pod there uses one of them. FGD sees no difference and follows the tie-break.
    PodRequest light = gpuPod("light", 2_000, 1, 1000);

    Placement fgd =
        (Placement)
            new Placer(new Fgd(TypicalPods.of(HISTORY)), TieBreak.nodeOrder(2))
                .decide(light, cluster);
    Placement aware =
        (Placement)
            new Placer(CpuAwareFgd.fromHistory(HISTORY), TieBreak.nodeOrder(2))
                .decide(light, cluster);

    assertThat(fgd.nodeName()).isEqualTo("rich");
    assertThat(aware.nodeName()).isEqualTo("lean");
  }

  @Test
  void sharesArePlacedAsFgdPlacesThem() {
    PodRequest share = gpuPod("share", 2_000, 1, 300);
    Fgd fgd = new Fgd(TypicalPods.of(HISTORY));
    CpuAwareFgd aware = CpuAwareFgd.fromHistory(HISTORY);

    for (String node : List.of("rich", "lean")) {
      assertThat(aware.score(share, cluster.node(node)))
          .isEqualTo(fgd.score(share, cluster.node(node)));
      assertThat(aware.shareGpu(share, cluster.node(node)))
          .isEqualTo(fgd.shareGpu(share, cluster.node(node)));
    }
  }

  @Test
  void oneGpuPodsFollowFgdWhereItPrefersANodeAndCpuAwarenessOnlyWhereItDoesNot() {
    PodRequest one = gpuPod("one", 2_000, 1, 1000);
    Fgd fgd = new Fgd(TypicalPods.of(HISTORY));
    CpuAwareFgd aware = CpuAwareFgd.fromHistory(HISTORY);

    for (String node : List.of("rich", "lean")) {
      assertThat(aware.score(one, cluster.node(node)) / 1000)
          .isEqualTo(fgd.score(one, cluster.node(node)));
    }
  }

  @Test
  void theDefaultPolicyIsStrataCpuAware() {
    assertThat(Policies.createDefault(HISTORY)).isInstanceOf(CpuAwareFgd.class);
    assertThat(Policies.create("default", HISTORY).name()).isEqualTo("StrataCpuAware");
  }
}
