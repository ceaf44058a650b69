package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The nodes of one {@link ClusterState} grouped by free resources ({@link FreeResources} and free
 * memory), kept up to date from the cluster's change log. Nodes in one group fit exactly the same
 * pods and, under a policy that {@linkplain ScoringPolicy#scoresOnlyFreeResources() scores only
 * free resources}, score alike, so of each group only the node with the lowest tie-break rank can
 * win a decision: the {@link Placer} looks at one node per group instead of every node. A large
 * cluster has a few hundred groups for thousands of nodes.
 */
final class NodeGroups {

  private record Key(FreeResources free, long memoryFree) {}

  private static final class Group {
    final Key key;
    // (rank << 32 | node index), so the first entry is the lowest-ranked node.
    final TreeSet<Long> members = new TreeSet<>();
    int position;
    int first;

    Group(Key key) {
      this.key = key;
    }

    void add(long entry) {
      members.add(entry);
      first = (int) members.first().longValue();
    }

    boolean remove(long entry) {
      members.remove(entry);
      if (members.isEmpty()) {
        return true;
      }
      first = (int) members.first().longValue();
      return false;
    }
  }

  private final ClusterState cluster;
  private final TieBreak tieBreak;
  private final Map<Key, Group> byKey = new HashMap<>();
  private final List<Group> groups = new ArrayList<>();
  private final Group[] groupOfNode;
  private long seen;

  NodeGroups(ClusterState cluster, TieBreak tieBreak) {
    this.cluster = cluster;
    this.tieBreak = tieBreak;
    this.groupOfNode = new Group[cluster.size()];
    for (int i = 0; i < cluster.size(); i++) {
      place(i);
    }
    this.seen = cluster.changes();
  }

  boolean isFor(ClusterState other, TieBreak ties) {
    return other == cluster && ties == tieBreak;
  }

  /** Catches up with the binds and unbinds since the last call. */
  void sync() {
    long now = cluster.changes();
    for (long change = seen; change < now; change++) {
      int node = cluster.changedNode(change);
      if (node < 0) {
        for (int i = 0; i < cluster.size(); i++) {
          place(i);
        }
        break;
      }
      place(node);
    }
    seen = now;
  }

  int size() {
    return groups.size();
  }

  /** The lowest-ranked node of group {@code g}. */
  int first(int g) {
    return groups.get(g).first;
  }

  private void place(int node) {
    NodeState state = cluster.node(node);
    Group current = groupOfNode[node];
    Key key = new Key(FreeResources.of(state), state.memoryFree());
    if (current != null && current.key.equals(key)) {
      return;
    }
    long entry = (long) tieBreak.rank(node) << 32 | node;
    if (current != null && current.remove(entry)) {
      byKey.remove(current.key);
      Group last = groups.remove(groups.size() - 1);
      if (last != current) {
        groups.set(current.position, last);
        last.position = current.position;
      }
    }
    Group group = byKey.get(key);
    if (group == null) {
      group = new Group(key);
      group.position = groups.size();
      groups.add(group);
      byKey.put(key, group);
    }
    group.add(entry);
    groupOfNode[node] = group;
  }
}
