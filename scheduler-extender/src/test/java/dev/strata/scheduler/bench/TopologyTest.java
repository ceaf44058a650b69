package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Gang;
import dev.strata.scheduler.core.GangPlacement;
import dev.strata.scheduler.core.GangPlacer;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.core.Tier;
import dev.strata.scheduler.policy.CpuAwareFgd;
import dev.strata.scheduler.policy.Fgd;
import dev.strata.scheduler.policy.TypicalPods;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {

  private static List<NodeSpec> nodes(int count) {
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(
          new NodeSpec(String.format("n%03d", i), 96_000, 512_000, 8, i % 2 == 0 ? "A" : "B"));
    }
    return nodes;
  }

  @Test
  void nodesOfOneModelSitSixteenToASwitchAndFourSwitchesToARack() {
    List<NodeSpec> labelled = Topology.label(nodes(160));

    assertThat(labelled)
        .extracting(NodeSpec::name)
        .isEqualTo(nodes(160).stream().map(NodeSpec::name).toList());
    // n000, n002, ... are the A nodes: the 17th of them (n032) starts the second switch.
    assertThat(labelled.get(0).labels()).containsEntry(NodeSpec.SWITCH_LABEL, "A-s0");
    assertThat(labelled.get(30).labels()).containsEntry(NodeSpec.SWITCH_LABEL, "A-s0");
    assertThat(labelled.get(32).labels()).containsEntry(NodeSpec.SWITCH_LABEL, "A-s1");
    assertThat(labelled.get(1).labels()).containsEntry(NodeSpec.SWITCH_LABEL, "B-s0");
    assertThat(labelled.get(128).labels())
        .containsEntry(NodeSpec.SWITCH_LABEL, "A-s4")
        .containsEntry(NodeSpec.RACK_LABEL, "A-r1");
  }

  @Test
  void largeGpuPodsBecomeGangsOfTwoToFourIdenticalPods() {
    PodRequest big = new PodRequest("big", 8_000, 1_000, 4, 1000, Set.of());
    PodRequest small = new PodRequest("small", 8_000, 1_000, 1, 1000, Set.of());
    Workload workload = new Workload(List.of(big, small, big, big, big), new int[0]);

    List<List<PodRequest>> gangs = Topology.gangs(workload, 7);

    assertThat(gangs).hasSize(5);
    assertThat(gangs.get(1)).containsExactly(small);
    for (int i : new int[] {0, 2, 3, 4}) {
      assertThat(gangs.get(i)).hasSizeBetween(2, 4);
      assertThat(gangs.get(i)).allMatch(p -> p.gpuCount() == 4 && p.cpuMilli() == 8_000);
    }
  }

  @Test
  void theCoreKeepsGangsUnderOneSwitchWhereFgdAloneSpreadsThem() {
    List<NodeSpec> labelled = Topology.label(nodes(64));
    PodRequest big = new PodRequest("big", 8_000, 1_000, 8, 1000, Set.of());
    List<PodRequest> history = List.of(big);
    List<List<PodRequest>> gangs = new ArrayList<>();
    for (int g = 0; g < 6; g++) {
      List<PodRequest> gang = new ArrayList<>();
      for (int m = 0; m < 4; m++) {
        gang.add(big.withName("g" + g + "-" + m));
      }
      gangs.add(gang);
    }
    // Ties go to a rank order that interleaves switches, as a random permutation would.
    int[] ranks = new int[64];
    for (int i = 0; i < 64; i++) {
      ranks[i] = (i % 32) * 2 + i / 32;
    }

    Topology.Outcome fgd = Topology.run(labelled, gangs, ranks, new Fgd(TypicalPods.of(history)));
    Topology.Outcome cpuAware =
        Topology.run(labelled, gangs, ranks, CpuAwareFgd.fromHistory(history));

    assertThat(fgd.placed()).isEqualTo(6);
    assertThat(fgd.withinOneSwitch()).isEqualTo(6);
    assertThat(cpuAware.withinOneSwitch()).isEqualTo(6);
    // The same gangs on the same nodes without labels: FGD's choices cross switches.
    ClusterState unlabelled = new ClusterState(nodes(64));
    Placer placer = new Placer(new Fgd(TypicalPods.of(history)), TieBreak.ranks(ranks));
    int within = 0;
    for (int g = 0; g < gangs.size(); g++) {
      GangPlacement placed =
          (GangPlacement)
              GangPlacer.decide(new Gang("g" + g, "t", Tier.LOW, gangs.get(g)), unlabelled, placer);
      placed.placements().forEach(unlabelled::bind);
      Set<String> switches = new HashSet<>();
      placed.placements().forEach(p -> switches.add(labelled.get(p.nodeIndex()).roceSwitch()));
      within += switches.size() == 1 ? 1 : 0;
    }
    assertThat(within).isLessThan(6);
  }
}
