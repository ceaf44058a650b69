package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's nodes grouped by RoCE switch and by rack, from the labels {@value
 * NodeSpec#SWITCH_LABEL} and {@value NodeSpec#RACK_LABEL}. Switches and racks are numbered in name
 * order; the two groupings are independent (a switch may span racks or a rack hold several
 * switches). Nodes without a label belong to no group of that kind.
 */
public final class NetworkTopology {

  private final int[] switchOf;
  private final int[] rackOf;
  private final String[] switchNames;
  private final int[][] nodesOfSwitch;
  private final int[][] nodesOfRack;

  NetworkTopology(List<NodeSpec> nodes) {
    switchOf = new int[nodes.size()];
    rackOf = new int[nodes.size()];
    Map<String, List<Integer>> bySwitch = new TreeMap<>();
    Map<String, List<Integer>> byRack = new TreeMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec node = nodes.get(i);
      if (node.roceSwitch() != null) {
        bySwitch.computeIfAbsent(node.roceSwitch(), s -> new ArrayList<>()).add(i);
      }
      if (node.rack() != null) {
        byRack.computeIfAbsent(node.rack(), r -> new ArrayList<>()).add(i);
      }
    }
    switchNames = bySwitch.keySet().toArray(new String[0]);
    nodesOfSwitch = group(bySwitch, switchOf);
    nodesOfRack = group(byRack, rackOf);
  }

  private static int[][] group(Map<String, List<Integer>> byName, int[] groupOf) {
    Arrays.fill(groupOf, -1);
    int[][] members = new int[byName.size()][];
    int g = 0;
    for (List<Integer> nodes : byName.values()) {
      members[g] = nodes.stream().mapToInt(Integer::intValue).toArray();
      for (int node : members[g]) {
        groupOf[node] = g;
      }
      g++;
    }
    return members;
  }

  public int switches() {
    return switchNames.length;
  }

  public int racks() {
    return nodesOfRack.length;
  }

  /** The switch of node {@code nodeIndex}, -1 when it has no switch label. */
  public int switchOf(int nodeIndex) {
    return switchOf[nodeIndex];
  }

  /** The rack of node {@code nodeIndex}, -1 when it has no rack label. */
  public int rackOf(int nodeIndex) {
    return rackOf[nodeIndex];
  }

  public String switchName(int s) {
    return switchNames[s];
  }

  int[] nodesOfSwitch(int s) {
    return nodesOfSwitch[s];
  }

  int[] nodesOfRack(int r) {
    return nodesOfRack[r];
  }
}
