package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Gang placement on labelled switches and racks: fewest switches, then racks, or pending. */
class GangTopologyTest {

  private static NodeSpec node(String name, String roceSwitch, String rack) {
    Map<String, String> labels = new HashMap<>();
    if (roceSwitch != null) {
      labels.put(NodeSpec.SWITCH_LABEL, roceSwitch);
    }
    if (rack != null) {
      labels.put(NodeSpec.RACK_LABEL, rack);
    }
    return new NodeSpec(name, 64_000, 256 * 1024, 8, "A100", labels);
  }

  private static Gang workers(int n, int gpus, TopologyMode mode) {
    List<PodRequest> members =
        IntStream.range(0, n).mapToObj(i -> gpuPod("w" + i, 1000, gpus, 1000)).toList();
    return new Gang("train", "team-a", Tier.LOW, members, mode);
  }

  /** Takes the lowest {@code gpus} GPUs of each named node, as running pods would. */
  private static List<Placement> occupy(List<NodeSpec> nodes, int gpus, String... names) {
    List<Placement> taken = new ArrayList<>();
    for (String name : names) {
      int index =
          IntStream.range(0, nodes.size())
              .filter(i -> nodes.get(i).name().equals(name))
              .findFirst()
              .orElseThrow();
      taken.add(
          new Placement(
              gpuPod("filler-" + name, 1000, gpus, 1000),
              index,
              name,
              IntStream.range(0, gpus).toArray()));
    }
    return taken;
  }

  private static ClusterState cluster(List<NodeSpec> nodes, List<Placement> running) {
    ClusterState cluster = new ClusterState(nodes);
    running.forEach(cluster::bind);
    return cluster;
  }

  private static List<String> nodesOf(GangDecision decision) {
    return ((GangPlacement) decision).placements().stream().map(Placement::nodeName).toList();
  }

  @Test
  void aGangGoesUnderOneSwitchWhereThePolicyAloneWouldSpreadIt() {
    // a and c are half full, so packing alone takes a then c, one on each switch.
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s1", null),
            node("c", "s2", null),
            node("d", "s2", null));
    List<NodeSpec> unlabelled =
        nodes.stream().map(n -> new NodeSpec(n.name(), 64_000, 256 * 1024, 8, "A100")).toList();
    List<Placement> running = occupy(nodes, 4, "a", "c");
    Gang gang = workers(2, 4, TopologyMode.PREFERRED);

    assertThat(nodesOf(GangPlacer.decide(gang, cluster(unlabelled, running), Packing.placer(4))))
        .containsExactly("a", "c");
    assertThat(nodesOf(GangPlacer.decide(gang, cluster(nodes, running), Packing.placer(4))))
        .containsExactly("a", "b");
  }

  @Test
  void theSwitchOfThePolicysFirstChoiceIsTriedBeforeBestFit() {
    // s2 = {c} has 8 GPUs free, s1 = {a, b} 12: best fit alone would take s2, but packing puts the
    // first member on b, the fullest node, so the gang stays in s1.
    List<NodeSpec> nodes =
        List.of(node("a", "s1", null), node("b", "s1", null), node("c", "s2", null));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "b"));

    assertThat(
            nodesOf(
                GangPlacer.decide(
                    workers(2, 4, TopologyMode.REQUIRED), cluster, Packing.placer(3))))
        .containsExactly("b", "a");
  }

  @Test
  void whenThePolicysSwitchCannotHoldTheGangTheFullestSwitchThatCanIsTriedFirst() {
    // Packing's first choice is a (4 free) in s1, too small; s3 (12 free) goes before s2 (16).
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s2", null),
            node("c", "s2", null),
            node("d", "s3", null),
            node("e", "s3", null));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "a", "e"));

    assertThat(
            nodesOf(
                GangPlacer.decide(
                    workers(2, 4, TopologyMode.PREFERRED), cluster, Packing.placer(5))))
        .containsExactly("e", "d");
  }

  @Test
  void theFullestSwitchThatHoldsTheGangIsTriedFirst() {
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s1", null),
            node("c", "s2", null),
            node("d", "s2", null));
    // s2 has 12 GPUs free, s1 16: the gang of 8 goes to s2 and leaves s1 whole for a larger one.
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "d"));

    assertThat(
            nodesOf(
                GangPlacer.decide(
                    workers(2, 4, TopologyMode.REQUIRED), cluster, Packing.placer(4))))
        .containsExactly("d", "c");
  }

  @Test
  void withoutRoomUnderOneSwitchAGangStaysInOneRack() {
    // One switch per node; racks r1 = {a, b} with 8 GPUs free, r2 = {c, d} with 16.
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", "r1"),
            node("b", "s2", "r1"),
            node("c", "s3", "r2"),
            node("d", "s4", "r2"));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "a", "b"));

    // Packing alone would fill a and b first and spread over both racks.
    assertThat(
            nodesOf(
                GangPlacer.decide(
                    workers(3, 4, TopologyMode.PREFERRED), cluster, Packing.placer(4))))
        .containsExactly("c", "c", "d");
  }

  @Test
  void spreadAcrossSwitchesEachMemberPrefersASwitchTheGangAlreadyUses() {
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s1", null),
            node("c", "s2", null),
            node("d", "s3", null));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "a", "b", "c", "d"));
    // Ties go to a, c, d, b: the policy alone would use three switches.
    Placer placer = new Placer(new Packing(), TieBreak.ranks(new int[] {0, 3, 1, 2}));

    assertThat(nodesOf(GangPlacer.decide(workers(3, 4, TopologyMode.PREFERRED), cluster, placer)))
        .containsExactly("a", "b", "c");
    assertThat(cluster.allocatedGpuMilli()).isEqualTo(16_000);
  }

  @Test
  void aRequiredGangThatFitsNoSwitchIsPendingAndSaysWhy() {
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s1", null),
            node("c", "s2", null),
            node("d", "s3", null));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "a", "b", "c", "d"));
    Gang gang = workers(3, 4, TopologyMode.REQUIRED);

    GangUnschedulable why = (GangUnschedulable) GangPlacer.decide(gang, cluster, Packing.placer(4));

    assertThat(why.requiredSwitch()).isEqualTo(new GangUnschedulable.RequiredSwitch(3, "s1"));
    assertThat(why.describe())
        .isEqualTo(
            "gang train cannot start: it requires one RoCE switch (strata.dev/topology: required)"
                + " and does not fit under one switch (of 3). Under switch s1, where most members"
                + " fit, member w2 finds no node after 2 of 3 members are placed."
                + " 0 of 2 nodes can run w2: 2 nodes have fewer than 4 completely free GPUs.");
    assertThat(cluster.allocatedGpuMilli()).isEqualTo(16_000);
    assertThat(
            GangPlacer.decide(
                gang.withTopology(TopologyMode.PREFERRED), cluster, Packing.placer(4)))
        .isInstanceOf(GangPlacement.class);
  }

  @Test
  void theSchedulersPendingReasonForARequiredGangNamesTheSwitch() {
    List<NodeSpec> nodes =
        List.of(
            node("a", "s1", null),
            node("b", "s1", null),
            node("c", "s2", null),
            node("d", "s3", null));
    List<RunningPod> running = new ArrayList<>();
    for (Placement p : occupy(nodes, 4, "a", "b", "c", "d")) {
      running.add(new RunningPod(p.pod().name(), "team-b", Tier.HIGH, p, 60));
    }
    Scheduler scheduler = new Scheduler(Packing.placer(4), List.of());

    SchedulingDecision decision =
        scheduler.decide(nodes, running, workers(3, 4, TopologyMode.REQUIRED));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .startsWith(
            "LOW gang train of tenant team-a is pending: LOW work never preempts; it waits for"
                + " idle capacity. gang train cannot start: it requires one RoCE switch")
        .contains("does not fit under one switch (of 3)");
  }

  @Test
  void aRequiredGangOnAClusterWithoutSwitchLabelsCannotStart() {
    ClusterState cluster =
        new ClusterState(List.of(Nodes.node("a", 8, "A100"), Nodes.node("b", 8, "A100")));

    GangDecision decision =
        GangPlacer.decide(workers(2, 1, TopologyMode.REQUIRED), cluster, Packing.placer(2));

    assertThat(((GangUnschedulable) decision).describe())
        .isEqualTo(
            "gang train cannot start: it requires one RoCE switch (strata.dev/topology: required)"
                + " and no node carries the strata.dev/switch label, so no switch is known to"
                + " hold it.");
    assertThat(GangPlacer.decide(workers(1, 1, TopologyMode.REQUIRED), cluster, Packing.placer(2)))
        .as("a gang of one is on one node, so under one switch")
        .isInstanceOf(GangPlacement.class);
  }

  @Test
  void nodesWithoutASwitchLabelHoldNoRequiredGang() {
    List<NodeSpec> nodes = List.of(node("a", null, null), node("b", "s1", null));
    ClusterState cluster = cluster(nodes, occupy(nodes, 4, "b"));

    assertThat(GangPlacer.decide(workers(2, 4, TopologyMode.REQUIRED), cluster, Packing.placer(2)))
        .isInstanceOf(GangUnschedulable.class);
    assertThat(
            nodesOf(
                GangPlacer.decide(
                    workers(2, 4, TopologyMode.PREFERRED), cluster, Packing.placer(2))))
        .containsExactly("b", "a");
  }

  @Test
  void theCallersClusterIsLeftAsItWasWhateverTheOutcome() {
    List<NodeSpec> nodes =
        List.of(node("a", "s1", "r1"), node("b", "s1", "r1"), node("c", "s2", "r2"));
    ClusterState cluster = cluster(nodes, occupy(nodes, 3, "a", "c"));
    String before = cluster.nodes().toString();

    GangPlacer.decide(workers(2, 4, TopologyMode.PREFERRED), cluster, Packing.placer(3));
    GangPlacer.decide(workers(9, 4, TopologyMode.PREFERRED), cluster, Packing.placer(3));
    GangPlacer.decide(workers(9, 4, TopologyMode.REQUIRED), cluster, Packing.placer(3));

    assertThat(cluster.nodes().toString()).isEqualTo(before);
    assertThat(cluster.allocatedGpuMilli()).isEqualTo(6_000);
  }

  @Test
  void theTopologyModeComesFromItsAnnotationValue() {
    assertThat(TopologyMode.parse(null)).isEqualTo(TopologyMode.PREFERRED);
    assertThat(TopologyMode.parse(" Required ")).isEqualTo(TopologyMode.REQUIRED);
    assertThat(TopologyMode.REQUIRED.annotationValue()).isEqualTo("required");
    assertThatThrownBy(() -> TopologyMode.parse("strict"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("strata.dev/topology is 'strict'; it must be 'preferred' or 'required'");
    assertThat(new Gang("g", "t", Tier.LOW, List.of(gpuPod("p", 1, 1, 1000))).topology())
        .isEqualTo(TopologyMode.PREFERRED);
  }
}
