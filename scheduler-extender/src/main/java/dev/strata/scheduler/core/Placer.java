package dev.strata.scheduler.core;

/**
 * Decides where one pod goes, from a cluster snapshot and nothing else: no API calls, no clock, and
 * the snapshot is left as it was. Feasible nodes are scored by the {@link ScoringPolicy}; the
 * highest score wins and ties go to the lowest {@link TieBreak} rank. A single feasible node is
 * taken without scoring.
 *
 * <p>Whole GPUs are assigned by {@link GpuChoice#whole}: within one NVLink group where the node has
 * them, else lowest free index first; a share goes to the GPU the policy picks.
 *
 * <p>Extension points: a gang is a loop of {@link #decide} and {@link ClusterState#bind}, undone
 * unless all members fit ({@link GangPlacer}, which also confines a gang to a switch's nodes);
 * preemption searches for victims to {@link ClusterState#unbind} when the answer is {@link
 * Unschedulable}; other topology can enter through node labels read by a policy (with {@link
 * ScoringPolicy#scoresOnlyFreeResources()} false).
 *
 * <p>Not thread-safe: it reuses buffers between decisions to keep the hot loop allocation-free.
 */
public final class Placer {

  private final ScoringPolicy policy;
  private final TieBreak tieBreak;
  private ScoreCache cache;
  private long cachedGeneration;
  private int[] candidates = new int[0];
  private long[] scores = new long[0];
  private NodeGroups groups;
  private ClusterState lastCluster;

  public Placer(ScoringPolicy policy, TieBreak tieBreak) {
    this.policy = policy;
    this.tieBreak = tieBreak;
    this.cache = policy.scoresOnlyFreeResources() ? new ScoreCache() : null;
    this.cachedGeneration = policy.generation();
  }

  public ScoringPolicy policy() {
    return policy;
  }

  public Decision decide(PodRequest pod, ClusterState cluster) {
    return decide(pod, cluster, null, null);
  }

  /**
   * As {@link #decide(PodRequest, ClusterState)}, but only among {@code nodes} (all when null), and
   * among the feasible ones only those of the highest {@code tierByNode} (all alike when null): how
   * a gang is kept under one switch, or drawn to the switches it already uses. When nothing fits,
   * the explanation counts {@code nodes} only.
   */
  Decision decide(PodRequest pod, ClusterState cluster, int[] nodes, int[] tierByNode) {
    if (tieBreak.size() != cluster.size()) {
      throw new IllegalArgumentException(
          "tie-break covers " + tieBreak.size() + " nodes, cluster has " + cluster.size());
    }
    int n = cluster.size();
    if (candidates.length < n) {
      candidates = new int[n];
      scores = new long[n];
    }
    int count = 0;
    NodeGroups grouped = nodes == null && tierByNode == null ? groups(cluster) : null;
    if (grouped != null) {
      // One node per group of equal free resources: the rest fit alike and score alike, and
      // would lose the tie to the group's lowest-ranked node.
      for (int g = 0; g < grouped.size(); g++) {
        int i = grouped.first(g);
        if (Feasibility.reasons(pod, cluster.node(i)) == 0) {
          candidates[count++] = i;
        }
      }
      return choose(pod, cluster, count, null);
    }
    int topTier = Integer.MIN_VALUE;
    int limit = nodes == null ? n : nodes.length;
    for (int k = 0; k < limit; k++) {
      int i = nodes == null ? k : nodes[k];
      if (Feasibility.reasons(pod, cluster.node(i)) != 0) {
        continue;
      }
      if (tierByNode != null && tierByNode[i] != topTier) {
        if (tierByNode[i] < topTier) {
          continue;
        }
        topTier = tierByNode[i];
        count = 0;
      }
      candidates[count++] = i;
    }
    return choose(pod, cluster, count, nodes);
  }

  private Decision choose(PodRequest pod, ClusterState cluster, int count, int[] nodes) {
    if (count == 0) {
      return nodes == null
          ? Unschedulable.explain(pod, cluster)
          : Unschedulable.explain(pod, cluster, nodes);
    }
    int chosen = count == 1 ? candidates[0] : best(pod, cluster, count);
    NodeState node = cluster.node(chosen);
    return new Placement(pod, chosen, node.name(), gpusFor(pod, node));
  }

  /**
   * The node groups of {@code cluster} when the policy scores only free resources and the placer
   * has decided on this cluster before; null otherwise, so a cluster seen once (a trial copy) costs
   * no grouping.
   */
  private NodeGroups groups(ClusterState cluster) {
    if (cache == null) {
      return null;
    }
    if (groups != null && groups.isFor(cluster, tieBreak)) {
      groups.sync();
      return groups;
    }
    if (cluster == lastCluster) {
      groups = new NodeGroups(cluster, tieBreak);
      return groups;
    }
    lastCluster = cluster;
    return null;
  }

  private int best(PodRequest pod, ClusterState cluster, int count) {
    if (cache != null && policy.generation() != cachedGeneration) {
      cache = new ScoreCache();
      cachedGeneration = policy.generation();
    }
    int shape = cache == null ? -1 : cache.shape(pod);
    for (int c = 0; c < count; c++) {
      NodeState node = cluster.node(candidates[c]);
      if (cache == null) {
        scores[c] = policy.score(pod, node);
      } else {
        int state = cache.state(cluster, node);
        if (cache.has(shape, state)) {
          scores[c] = cache.get(shape, state);
        } else {
          scores[c] = policy.score(pod, node);
          cache.put(shape, state, scores[c]);
        }
      }
    }
    policy.normalize(scores, count);
    int best = candidates[0];
    long bestScore = scores[0];
    for (int c = 1; c < count; c++) {
      int i = candidates[c];
      if (scores[c] > bestScore
          || (scores[c] == bestScore && tieBreak.rank(i) < tieBreak.rank(best))) {
        best = i;
        bestScore = scores[c];
      }
    }
    return best;
  }

  private int[] gpusFor(PodRequest pod, NodeState node) {
    if (!pod.needsGpu()) {
      return new int[0];
    }
    if (pod.isGpuShare()) {
      int gpu = policy.shareGpu(pod, node);
      if (gpu < 0 || node.gpuFree(gpu) < pod.gpuMilli()) {
        throw new IllegalStateException(
            policy.name() + " picked GPU " + gpu + " for " + pod.name() + " on " + node);
      }
      return new int[] {gpu};
    }
    return GpuChoice.whole(pod, node);
  }
}
