package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot of every node's free resources. Decisions are made against it without changing it;
 * {@link #bind} and {@link #unbind} apply or undo them. A gang is tried by binding its members and
 * unbinding them again ({@link GangPlacer}); preemption can {@link #unbind} victims on a {@link
 * #copy()}.
 */
public final class ClusterState {

  private final List<NodeState> nodes;
  private final Map<String, Integer> indexByName;
  private final NetworkTopology topology;
  private final Set<String> gpuModels;
  private long allocatedGpuMilli;
  // The last CHANGE_LOG_SIZE nodes bound or unbound, so a placer can catch up on what changed
  // since its last decision without looking at every node.
  private static final int CHANGE_LOG_SIZE = 1024;
  private final int[] changeLog = new int[CHANGE_LOG_SIZE];
  private long changes;

  public ClusterState(List<NodeSpec> specs) {
    List<NodeState> states = new ArrayList<>(specs.size());
    Map<String, Integer> byName = new HashMap<>();
    for (NodeSpec spec : specs) {
      if (byName.putIfAbsent(spec.name(), states.size()) != null) {
        throw new IllegalArgumentException("duplicate node " + spec.name());
      }
      states.add(new NodeState(spec, states.size()));
    }
    this.nodes = states;
    this.indexByName = byName;
    this.topology = new NetworkTopology(specs);
    Set<String> models = new TreeSet<>();
    for (NodeSpec spec : specs) {
      if (spec.gpuCount() > 0) {
        models.add(spec.gpuModel());
      }
    }
    this.gpuModels = Collections.unmodifiableSet(models);
  }

  private ClusterState(ClusterState other) {
    List<NodeState> states = new ArrayList<>(other.nodes.size());
    for (NodeState node : other.nodes) {
      states.add(node.copy());
    }
    this.nodes = states;
    this.indexByName = other.indexByName;
    this.topology = other.topology;
    this.gpuModels = other.gpuModels;
    this.allocatedGpuMilli = other.allocatedGpuMilli;
  }

  public ClusterState copy() {
    return new ClusterState(this);
  }

  /** The GPU models of the nodes that have GPUs, in name order. */
  public Set<String> gpuModels() {
    return gpuModels;
  }

  public List<NodeState> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public int size() {
    return nodes.size();
  }

  public NodeState node(int index) {
    return nodes.get(index);
  }

  public NodeState node(String name) {
    Integer index = indexByName.get(name);
    if (index == null) {
      throw new IllegalArgumentException("no node " + name);
    }
    return nodes.get(index);
  }

  /** The nodes grouped by RoCE switch and rack, from their labels. */
  public NetworkTopology topology() {
    return topology;
  }

  /** GPU milli held by all bound pods. */
  public long allocatedGpuMilli() {
    return allocatedGpuMilli;
  }

  public long totalGpuMilli() {
    long total = 0;
    for (NodeState node : nodes) {
      total += (long) node.gpuCount() * NodeSpec.GPU_MILLI;
    }
    return total;
  }

  /** Takes the placement's resources; it must still fit, as when it was decided on this state. */
  public void bind(Placement placement) {
    NodeState node = nodes.get(placement.nodeIndex());
    PodRequest pod = placement.pod();
    if (Feasibility.reasons(pod, node) != 0) {
      throw new IllegalStateException(placement + " no longer fits " + node);
    }
    for (int gpu : placement.gpus()) {
      if (node.gpuFree(gpu) < pod.gpuMilli()) {
        throw new IllegalStateException(placement + " GPU " + gpu + " is taken on " + node);
      }
    }
    node.take(pod, placement.gpus());
    allocatedGpuMilli += (long) placement.gpus().length * pod.gpuMilli();
    logChange(placement.nodeIndex());
  }

  /** Gives back what {@link #bind} took, for preemption and for rolling back a gang. */
  public void unbind(Placement placement) {
    NodeState node = nodes.get(placement.nodeIndex());
    node.give(placement.pod(), placement.gpus());
    allocatedGpuMilli -= (long) placement.gpus().length * placement.pod().gpuMilli();
    logChange(placement.nodeIndex());
  }

  private void logChange(int nodeIndex) {
    changeLog[(int) (changes % CHANGE_LOG_SIZE)] = nodeIndex;
    changes++;
  }

  /** How many binds and unbinds this state has seen (a copy starts from none). */
  long changes() {
    return changes;
  }

  /**
   * The node of change number {@code change} (0-based, below {@link #changes()}), or -1 when it is
   * too old to be remembered; then every node must be looked at again.
   */
  int changedNode(long change) {
    return changes - change > CHANGE_LOG_SIZE ? -1 : changeLog[(int) (change % CHANGE_LOG_SIZE)];
  }
}
