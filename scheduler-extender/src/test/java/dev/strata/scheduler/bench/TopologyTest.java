package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.policy.CpuAwareFgd;
import dev.strata.scheduler.policy.Fgd;
import dev.strata.scheduler.policy.SwitchAffinity;
import dev.strata.scheduler.policy.TypicalPods;
import java.util.ArrayList;
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
    assertThat(labelled.get(0).labels()).containsEntry(SwitchAffinity.SWITCH_LABEL, "A-s0");
    assertThat(labelled.get(30).labels()).containsEntry(SwitchAffinity.SWITCH_LABEL, "A-s0");
    assertThat(labelled.get(32).labels()).containsEntry(SwitchAffinity.SWITCH_LABEL, "A-s1");
    assertThat(labelled.get(1).labels()).containsEntry(SwitchAffinity.SWITCH_LABEL, "B-s0");
    assertThat(labelled.get(128).labels())
        .containsEntry(SwitchAffinity.SWITCH_LABEL, "A-s4")
        .containsEntry(SwitchAffinity.RACK_LABEL, "A-r1");
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
  void switchAffinityKeepsAGangUnderOneSwitchWhereFgdSpreadsIt() {
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
    Topology.Outcome topo =
        Topology.run(
            labelled,
            gangs,
            ranks,
            new SwitchAffinity("StrataTopology", CpuAwareFgd.fromHistory(history)));

    assertThat(fgd.placed()).isEqualTo(6);
    assertThat(topo.placed()).isEqualTo(6);
    assertThat(fgd.withinOneSwitch()).isLessThan(6);
    assertThat(topo.withinOneSwitch()).isEqualTo(6);
  }
}
