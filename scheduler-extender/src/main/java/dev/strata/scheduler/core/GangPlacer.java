package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Places a gang all at once or not at all. Members are decided one by one, in order, with the
 * earlier members bound, so later members see what earlier ones took; whatever the outcome, every
 * trial binding is undone before returning, so a gang that does not fit leaves no partial placement
 * behind and the caller's cluster is as it was.
 *
 * <p>Members go in the order given rather than largest first: the caller knows the job (a launcher
 * before its workers) and reordering would make the outcome depend on sizes in ways that are harder
 * to explain. The result is deterministic for the same cluster, gang and placer.
 *
 * <p>Topology ({@link NetworkTopology}): on a cluster whose nodes carry switch labels, a gang of
 * two or more prefers the fewest RoCE switches, then the fewest racks:
 *
 * <ol>
 *   <li>It is tried under each switch alone, confined to that switch's nodes: only the switches
 *       that have the gang's GPUs, whole GPUs, CPU and memory free in sum; first the switch of the
 *       node the policy would give the first member on the whole cluster, then best fit, in order
 *       of fewest free GPU milli, then least free CPU, then name. The first where every member fits
 *       wins; best fit keeps emptier switches for larger gangs.
 *   <li>{@link TopologyMode#REQUIRED}: no switch holds it, so it is unschedulable, and says so.
 *   <li>Otherwise under each rack alone, in the same order (the first member's rack first), each
 *       member preferring the switches earlier members use.
 *   <li>Otherwise on the whole cluster, each member preferring nodes under a switch earlier members
 *       use, then in a rack they use, the policy ranking nodes within that tier.
 * </ol>
 *
 * A cluster without switch labels, and a gang of one, are placed on the whole cluster by the policy
 * alone; a {@link TopologyMode#REQUIRED} gang of two or more cannot start on such a cluster, and
 * nodes without a switch label never hold one.
 *
 * <p>Not thread-safe: the caller's cluster is changed during the call and restored before it
 * returns, which saves copying it for every gang.
 */
public final class GangPlacer {

  private GangPlacer() {}

  /** Members placed so far; {@code why} is null when all were placed. */
  private record Attempt(List<Placement> placements, Unschedulable why) {

    boolean placedAll() {
      return why == null;
    }

    int failedAt() {
      return placements.size();
    }
  }

  public static GangDecision decide(Gang gang, ClusterState cluster, Placer placer) {
    NetworkTopology topology = cluster.topology();
    if (gang.size() == 1) {
      return result(gang, place(gang, cluster, placer, null, null));
    }
    if (topology.switches() == 0) {
      if (gang.topology() == TopologyMode.REQUIRED) {
        return new GangUnschedulable(
            gang,
            0,
            Unschedulable.explain(gang.members().get(0), cluster, new int[0]),
            new GangUnschedulable.RequiredSwitch(0, null));
      }
      return result(gang, place(gang, cluster, placer, null, null));
    }

    Sums need = Sums.of(gang);
    Sums[] freeBySwitch = new Sums[topology.switches()];
    Sums[] freeByRack = new Sums[topology.racks()];
    Sums.free(cluster, freeBySwitch, freeByRack);

    // Where the policy would put the first member on the whole cluster: its switch and rack are
    // tried first, so the policy's view of the cluster (fragmentation, packing) still picks the
    // neighbourhood; best fit orders the rest.
    int firstChoice = -1;
    if (placer.decide(gang.members().get(0), cluster) instanceof Placement first) {
      firstChoice = first.nodeIndex();
    }
    Tiers tiers = new Tiers(topology, cluster.size());
    Attempt closest = null;
    int closestSwitch = -1;
    int[] switchOrder =
        firstTo(bestFit(freeBySwitch, need), firstChoice < 0 ? -1 : topology.switchOf(firstChoice));
    for (int s : switchOrder) {
      Attempt attempt = place(gang, cluster, placer, topology.nodesOfSwitch(s), tiers);
      if (attempt.placedAll()) {
        return result(gang, attempt);
      }
      if (closest == null || attempt.failedAt() > closest.failedAt()) {
        closest = attempt;
        closestSwitch = s;
      }
    }
    if (gang.topology() == TopologyMode.REQUIRED) {
      if (closest == null) {
        // No switch has the gang's resources even in sum; explain with the roomiest one.
        closestSwitch = roomiest(freeBySwitch);
        closest = place(gang, cluster, placer, topology.nodesOfSwitch(closestSwitch), tiers);
        if (closest.placedAll()) {
          return result(gang, closest); // cannot happen: the sums are necessary conditions
        }
      }
      return new GangUnschedulable(
          gang,
          closest.failedAt(),
          closest.why(),
          new GangUnschedulable.RequiredSwitch(
              topology.switches(), topology.switchName(closestSwitch)));
    }

    int[] rackOrder =
        firstTo(bestFit(freeByRack, need), firstChoice < 0 ? -1 : topology.rackOf(firstChoice));
    for (int r : rackOrder) {
      Attempt attempt = place(gang, cluster, placer, topology.nodesOfRack(r), tiers);
      if (attempt.placedAll()) {
        return result(gang, attempt);
      }
    }
    return result(gang, place(gang, cluster, placer, null, tiers));
  }

  private static GangDecision result(Gang gang, Attempt attempt) {
    return attempt.placedAll()
        ? new GangPlacement(gang, attempt.placements())
        : new GangUnschedulable(gang, attempt.failedAt(), attempt.why());
  }

  /**
   * Decides the members in order on {@code cluster} (binding each so the next sees it) among {@code
   * nodes} (all when null), preferring the nodes {@code tiers} ranks highest; then unbinds them all
   * again.
   */
  private static Attempt place(
      Gang gang, ClusterState cluster, Placer placer, int[] nodes, Tiers tiers) {
    List<Placement> placements = new ArrayList<>(gang.size());
    if (tiers != null) {
      tiers.restrictTo(nodes);
    }
    try {
      for (PodRequest member : gang.members()) {
        Decision decision =
            tiers == null
                ? placer.decide(member, cluster, nodes, null)
                : decideTiered(member, cluster, placer, nodes, tiers);
        if (decision instanceof Unschedulable why) {
          return new Attempt(placements, why);
        }
        Placement placement = (Placement) decision;
        cluster.bind(placement);
        placements.add(placement);
        if (tiers != null) {
          tiers.used(placement.nodeIndex());
        }
      }
      return new Attempt(placements, null);
    } finally {
      for (int i = placements.size() - 1; i >= 0; i--) {
        cluster.unbind(placements.get(i));
      }
      if (tiers != null) {
        tiers.clear();
      }
    }
  }

  /**
   * The tiered decision among {@code nodes} (all when null), looking at as few nodes as it can: if
   * a node under a switch the gang uses fits, the winner is among those; else if one in a rack it
   * uses fits, among those; else every fitting node is of the lowest tier, and a plain decision
   * gives the same answer (and, on the whole cluster, the placer's fast path).
   */
  private static Decision decideTiered(
      PodRequest member, ClusterState cluster, Placer placer, int[] nodes, Tiers tiers) {
    if (tiers.usedSwitchNodes.length > 0) {
      Decision decision = placer.decide(member, cluster, tiers.usedSwitchNodes, tiers.byNode);
      if (decision instanceof Placement) {
        return decision;
      }
    }
    if (tiers.usedRackNodes.length > 0) {
      Decision decision = placer.decide(member, cluster, tiers.usedRackNodes, tiers.byNode);
      if (decision instanceof Placement) {
        return decision;
      }
    }
    return placer.decide(member, cluster, nodes, null);
  }

  /** The groups whose free resources cover {@code need} in sum, best fit first. */
  private static int[] bestFit(Sums[] free, Sums need) {
    return IntStream.range(0, free.length)
        .filter(g -> free[g].covers(need))
        .boxed()
        .sorted(
            Comparator.<Integer>comparingLong(g -> free[g].gpuMilli)
                .thenComparingLong(g -> free[g].cpuMilli)
                .thenComparingInt(g -> g))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** {@code order} with {@code group} moved to the front, when it is there at all. */
  private static int[] firstTo(int[] order, int group) {
    for (int k = 0; k < order.length; k++) {
      if (order[k] == group) {
        System.arraycopy(order, 0, order, 1, k);
        order[0] = group;
        break;
      }
    }
    return order;
  }

  private static int roomiest(Sums[] free) {
    int best = 0;
    for (int g = 1; g < free.length; g++) {
      if (free[g].gpuMilli > free[best].gpuMilli
          || free[g].gpuMilli == free[best].gpuMilli && free[g].cpuMilli > free[best].cpuMilli) {
        best = g;
      }
    }
    return best;
  }

  /** Resources added up over a gang's members or a group's nodes. */
  private static final class Sums {
    long gpuMilli;
    long wholeGpus;
    long cpuMilli;
    long memoryMib;

    static Sums of(Gang gang) {
      Sums need = new Sums();
      for (PodRequest member : gang.members()) {
        need.gpuMilli += member.totalGpuMilli();
        need.wholeGpus += member.isGpuShare() ? 0 : member.gpuCount();
        need.cpuMilli += member.cpuMilli();
        need.memoryMib += member.memoryMib();
      }
      return need;
    }

    static void free(ClusterState cluster, Sums[] bySwitch, Sums[] byRack) {
      Arrays.setAll(bySwitch, s -> new Sums());
      Arrays.setAll(byRack, r -> new Sums());
      NetworkTopology topology = cluster.topology();
      for (int i = 0; i < cluster.size(); i++) {
        NodeState node = cluster.node(i);
        int s = topology.switchOf(i);
        int r = topology.rackOf(i);
        if (s >= 0) {
          bySwitch[s].add(node);
        }
        if (r >= 0) {
          byRack[r].add(node);
        }
      }
    }

    private void add(NodeState node) {
      gpuMilli += node.totalGpuFree();
      wholeGpus += node.fullyFreeGpus();
      cpuMilli += node.cpuFree();
      memoryMib += node.memoryFree();
    }

    boolean covers(Sums need) {
      return gpuMilli >= need.gpuMilli
          && wholeGpus >= need.wholeGpus
          && cpuMilli >= need.cpuMilli
          && memoryMib >= need.memoryMib;
    }
  }

  /**
   * Per node, how close it is to the members placed so far: 2 under a switch they use, plus 1 in a
   * rack they use. The placer keeps only the feasible nodes of the highest tier.
   */
  private static final class Tiers {
    private static final int SAME_SWITCH = 2;
    private static final int SAME_RACK = 1;

    final int[] byNode;
    private final NetworkTopology topology;
    private final boolean[] switchUsed;
    private final boolean[] rackUsed;
    private final List<int[]> marked = new ArrayList<>();
    int[] usedSwitchNodes = new int[0];
    int[] usedRackNodes = new int[0];
    private boolean[] allowed;
    private int[] allowedNodes;

    Tiers(NetworkTopology topology, int nodes) {
      this.topology = topology;
      this.byNode = new int[nodes];
      this.switchUsed = new boolean[topology.switches()];
      this.rackUsed = new boolean[topology.racks()];
    }

    void used(int node) {
      int s = topology.switchOf(node);
      if (s >= 0 && !switchUsed[s]) {
        switchUsed[s] = true;
        mark(topology.nodesOfSwitch(s), SAME_SWITCH);
        usedSwitchNodes = concat(usedSwitchNodes, topology.nodesOfSwitch(s), allowed);
      }
      int r = topology.rackOf(node);
      if (r >= 0 && !rackUsed[r]) {
        rackUsed[r] = true;
        mark(topology.nodesOfRack(r), SAME_RACK);
        usedRackNodes = concat(usedRackNodes, topology.nodesOfRack(r), allowed);
      }
    }

    /** {@code a} and the nodes of {@code b} that are allowed (all when {@code allowed} is null). */
    private static int[] concat(int[] a, int[] b, boolean[] allowed) {
      int[] both = Arrays.copyOf(a, a.length + b.length);
      int n = a.length;
      for (int node : b) {
        if (allowed == null || allowed[node]) {
          both[n++] = node;
        }
      }
      return Arrays.copyOf(both, n);
    }

    /** Confines the node lists to {@code nodes} (all when null) until {@link #clear}. */
    void restrictTo(int[] nodes) {
      if (nodes == null) {
        allowed = null;
        return;
      }
      if (allowed == null) {
        allowed = new boolean[byNode.length];
      }
      for (int node : nodes) {
        allowed[node] = true;
      }
      allowedNodes = nodes;
    }

    private void mark(int[] nodes, int tier) {
      for (int node : nodes) {
        byNode[node] += tier;
      }
      marked.add(nodes);
    }

    void clear() {
      for (int[] nodes : marked) {
        for (int node : nodes) {
          byNode[node] = 0;
        }
      }
      marked.clear();
      Arrays.fill(switchUsed, false);
      Arrays.fill(rackUsed, false);
      usedSwitchNodes = new int[0];
      usedRackNodes = new int[0];
      if (allowedNodes != null) {
        for (int node : allowedNodes) {
          allowed[node] = false;
        }
        allowedNodes = null;
      }
    }
  }
}
