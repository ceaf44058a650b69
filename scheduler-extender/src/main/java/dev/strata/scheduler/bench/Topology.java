package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Decision;
import dev.strata.scheduler.core.Gang;
import dev.strata.scheduler.core.GangDecision;
import dev.strata.scheduler.core.GangPlacement;
import dev.strata.scheduler.core.GangPlacer;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.core.Tier;
import dev.strata.scheduler.policy.LearnsFromArrivals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The topology-aware variant of the trace replay. The trace has no topology, so one is assumed: the
 * nodes of each GPU model, in name order, sit {@value #NODES_PER_SWITCH} to a RoCE switch and
 * {@value #SWITCHES_PER_RACK} switches to a rack, written as the node labels {@link
 * NodeSpec#SWITCH_LABEL} ({@code MODEL-sK}) and {@link NodeSpec#RACK_LABEL} ({@code MODEL-rK}).
 * Every pod of {@value #GANG_MIN_GPUS} or more GPUs becomes a gang of 2 to 4 identical pods (the
 * size drawn per pod from {@code java.util.Random(seed)}), placed all or nothing by the core's
 * {@link GangPlacer}, which keeps a gang under one switch where one has room.
 */
public final class Topology {

  public static final int NODES_PER_SWITCH = 16;
  public static final int SWITCHES_PER_RACK = 4;
  public static final int GANG_MIN_GPUS = 4;

  private Topology() {}

  /** The same nodes, same order, with switch and rack labels. */
  public static List<NodeSpec> label(List<NodeSpec> nodesByName) {
    Map<String, List<NodeSpec>> byModel = new HashMap<>();
    for (NodeSpec node : nodesByName) {
      byModel.computeIfAbsent(node.gpuModel(), m -> new ArrayList<>()).add(node);
    }
    Map<String, NodeSpec> labelled = new HashMap<>();
    for (Map.Entry<String, List<NodeSpec>> entry : byModel.entrySet()) {
      List<NodeSpec> nodes = new ArrayList<>(entry.getValue());
      nodes.sort(Comparator.comparing(NodeSpec::name));
      String model = entry.getKey().isEmpty() ? "cpu" : entry.getKey();
      for (int i = 0; i < nodes.size(); i++) {
        NodeSpec n = nodes.get(i);
        int sw = i / NODES_PER_SWITCH;
        Map<String, String> labels = new HashMap<>(n.labels());
        labels.put(NodeSpec.SWITCH_LABEL, model + "-s" + sw);
        labels.put(NodeSpec.RACK_LABEL, model + "-r" + sw / SWITCHES_PER_RACK);
        labelled.put(
            n.name(),
            new NodeSpec(
                n.name(), n.cpuMilli(), n.memoryMib(), n.gpuCount(), n.gpuModel(), labels));
      }
    }
    List<NodeSpec> out = new ArrayList<>();
    for (NodeSpec node : nodesByName) {
      out.add(labelled.get(node.name()));
    }
    return out;
  }

  /** The workload's pods as gangs: one-member lists, and 2-4 copies of each large GPU pod. */
  public static List<List<PodRequest>> gangs(Workload workload, long seed) {
    Random random = new Random(seed);
    List<List<PodRequest>> gangs = new ArrayList<>();
    for (PodRequest pod : workload.pods()) {
      if (pod.needsGpu() && pod.gpuCount() >= GANG_MIN_GPUS) {
        int size = 2 + random.nextInt(3);
        List<PodRequest> gang = new ArrayList<>();
        for (int m = 0; m < size; m++) {
          gang.add(pod.withName(pod.name() + "-gang-" + m));
        }
        gangs.add(gang);
      } else {
        gangs.add(List.of(pod));
      }
    }
    return gangs;
  }

  /** Allocation curve over all members, and how gangs fared. */
  public record Outcome(AllocationCurve curve, int gangs, int placed, int withinOneSwitch) {}

  public static Outcome run(
      List<NodeSpec> labelledNodes, List<List<PodRequest>> gangs, int[] tieRanks, ScoringPolicy p) {
    ClusterState cluster = new ClusterState(labelledNodes);
    Placer placer = new Placer(p, TieBreak.ranks(tieRanks));
    AllocationCurve curve = new AllocationCurve(cluster.totalGpuMilli());
    long arrived = 0;
    int gangCount = 0;
    int placed = 0;
    int within = 0;
    for (List<PodRequest> gang : gangs) {
      for (PodRequest pod : gang) {
        arrived += pod.totalGpuMilli();
        if (p instanceof LearnsFromArrivals learner) {
          learner.arrived(pod);
        }
      }
      if (gang.size() == 1) {
        Decision decision = placer.decide(gang.get(0), cluster);
        if (decision instanceof Placement placement) {
          cluster.bind(placement);
        }
        curve.record(arrived, cluster.allocatedGpuMilli());
        continue;
      }
      gangCount++;
      GangDecision decision =
          GangPlacer.decide(
              new Gang("gang-" + gangCount, "trace", Tier.LOW, gang), cluster, placer);
      if (decision instanceof GangPlacement placement) {
        List<Placement> members = placement.placements();
        for (Placement member : members) {
          cluster.bind(member);
        }
        placed++;
        String first = labelledNodes.get(members.get(0).nodeIndex()).roceSwitch();
        if (members.stream()
            .allMatch(m -> first.equals(labelledNodes.get(m.nodeIndex()).roceSwitch()))) {
          within++;
        }
      }
      curve.record(arrived, cluster.allocatedGpuMilli());
    }
    return new Outcome(curve, gangCount, placed, within);
  }
}
