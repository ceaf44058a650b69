package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.kube.ClusterSnapshot;
import dev.strata.scheduler.kube.GangKey;
import dev.strata.scheduler.kube.GangKeys;
import dev.strata.scheduler.kube.GpuIndices;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.kube.NodeSpecs;
import dev.strata.scheduler.kube.PodRequests;
import dev.strata.scheduler.kube.Translation;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster at one {@link ClusterView} version in the core's terms: the usable nodes (and why the
 * others are left out), the pods bound to them as {@link RunningPod}s on a {@link ClusterState},
 * and the pods still waiting, grouped by gang. Built from the whole view, then moved forward one
 * changed pod at a time ({@link #apply}) while no node changes; used only under the service's lock,
 * and decisions work on copies.
 */
final class Snapshot {

  private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);

  /** The view version this snapshot shows. */
  long version;

  final List<NodeSpec> nodes;
  final long nodesVersion;
  final Map<String, Integer> nodeIndex;
  final Map<String, String> excludedNodes;

  /**
   * Every pod bound to a usable node, as the core sees it, by pod key. Sorted, so that a snapshot
   * moved forward lists its pods in the order a fresh one would.
   */
  final Map<String, RunningPod> runningByKey = new TreeMap<>();

  /** Pods without a node, by core gang name, each list in pod-name order. */
  final Map<String, List<Pod>> pendingByGang = new HashMap<>();

  /** Bound members per core gang name. */
  final Map<String, Integer> boundByGang = new HashMap<>();

  final Map<String, Pod> podsByKey = new HashMap<>();

  /** The bound pods applied: what is free now, before any plan. */
  final ClusterState state;

  Snapshot(ClusterView.Contents contents, Instant now) {
    this(contents, now, null);
  }

  /**
   * With {@code previous}, the snapshot before: when no node changed since, its reading of the
   * nodes (specs, name index, exclusions, empty state) is reused, and only the pods are read anew.
   */
  Snapshot(ClusterView.Contents contents, Instant now, Snapshot previous) {
    this.version = contents.version();
    this.nodesVersion = contents.nodesVersion();
    if (previous != null && previous.nodesVersion == nodesVersion) {
      this.nodes = previous.nodes;
      this.nodeIndex = previous.nodeIndex;
      this.excludedNodes = previous.excludedNodes;
      this.empty = previous.empty;
      this.order = previous.order;
      this.state = empty.copy();
    } else {
      NodeSpecs.Usable usable = NodeSpecs.usable(contents.nodes());
      this.nodes = usable.nodes();
      this.excludedNodes = usable.excluded();
      this.nodeIndex = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        nodeIndex.put(nodes.get(i).name(), i);
      }
      this.empty = new ClusterState(nodes);
      this.state = empty.copy();
    }

    List<Pod> pods = new ArrayList<>(contents.pods());
    pods.sort(Comparator.comparing(ClusterView::key));
    for (Pod pod : pods) {
      add(ClusterView.key(pod), pod, now);
    }
  }

  /** Every running pod in pod-key order. */
  List<RunningPod> running() {
    return new ArrayList<>(runningByKey.values());
  }

  /**
   * Pods whose reading depends on the order pods are read in, by pod key, with their node: pods
   * bound by someone else to a node they do not fit beside the others (which of them are left out
   * depends on the order) and GPU pods bound without recorded GPU indices (whose GPUs are guessed
   * from what else is there). A change on such a node is not applied pod by pod: the snapshot is
   * read whole again, as a fresh one would be.
   */
  private final Map<String, String> orderDependent = new HashMap<>();

  /** How many of {@link #orderDependent} are on each node. */
  private final Map<String, Integer> orderDependentOnNode = new HashMap<>();

  private void markOrderDependent(String podKey, String nodeName) {
    if (orderDependent.put(podKey, nodeName) == null) {
      orderDependentOnNode.merge(nodeName, 1, Integer::sum);
    }
  }

  /** Forgets the pod as order-dependent; whether it was. */
  private boolean unmarkOrderDependent(String podKey) {
    String nodeName = orderDependent.remove(podKey);
    if (nodeName == null) {
      return false;
    }
    orderDependentOnNode.computeIfPresent(nodeName, (n, count) -> count == 1 ? null : count - 1);
    return true;
  }

  /**
   * What one {@link #apply} changed among the running pods (either may be null); {@code ordered}
   * when the change touched a node with pods left out, and only a whole read tells what runs.
   */
  record Change(RunningPod stopped, RunningPod started, boolean ordered) {}

  /**
   * Moves the snapshot past one pod's change: {@code pod} is what the pod with key {@code key} is
   * now, {@code null} when it is gone. Running time is measured at {@code now}.
   */
  Change apply(String key, Pod pod, Instant now) {
    boolean ordered = unmarkOrderDependent(key);
    RunningPod stopped = remove(key);
    if (stopped != null) {
      ordered |= orderDependentOnNode.containsKey(stopped.placement().nodeName());
    }
    String nodeName = pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    ordered |= nodeName != null && orderDependentOnNode.containsKey(nodeName);
    RunningPod started = pod == null ? null : add(key, pod, now);
    ordered |= orderDependent.containsKey(key);
    return new Change(stopped, started, ordered);
  }

  /** Takes out what the pod with this key contributed; its running pod, if it ran. */
  private RunningPod remove(String key) {
    Pod old = podsByKey.remove(key);
    if (old == null) {
      return null;
    }
    RunningPod running = runningByKey.remove(key);
    if (running != null) {
      state.unbind(running.placement());
      boundByGang.computeIfPresent(running.gang(), (g, n) -> n == 1 ? null : n - 1);
      return running;
    }
    Translation<GangKey> gang = GangKeys.of(old);
    if (gang.isOk()) {
      List<Pod> waiting = pendingByGang.get(gang.value().gangName());
      if (waiting != null) {
        waiting.removeIf(p -> p == old);
        if (waiting.isEmpty()) {
          pendingByGang.remove(gang.value().gangName());
        }
      }
    }
    return null;
  }

  /** Adds the pod's contribution; its running pod when it runs on a usable node. */
  private RunningPod add(String key, Pod pod, Instant now) {
    podsByKey.put(key, pod);
    if (ClusterSnapshot.finished(pod)) {
      return null;
    }
    Translation<GangKey> gang = GangKeys.of(pod);
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      if (gang.isOk()) {
        pendingByGang.computeIfAbsent(gang.value().gangName(), g -> new ArrayList<>()).add(pod);
      }
      return null;
    }
    return addRunning(key, pod, nodeName, gang, now);
  }

  private RunningPod addRunning(
      String podKey, Pod pod, String nodeName, Translation<GangKey> gang, Instant now) {
    Integer index = nodeIndex.get(nodeName);
    Translation<PodRequest> request = PodRequests.from(pod);
    if (index == null || !gang.isOk() || !request.isOk()) {
      // On a node Strata does not use, or unreadable: it cannot take part in decisions.
      return null;
    }
    GangKey key = gang.value();
    NodeState node = state.node(index);
    PodRequest req = request.value();
    int[] gpus = recordedGpus(pod, req, node);
    if (gpus == null) {
      gpus = guessedGpus(req, node);
      markOrderDependent(podKey, nodeName);
    }
    Placement placement = new Placement(req, index, nodeName, gpus);
    try {
      state.bind(placement);
    } catch (IllegalStateException e) {
      LOG.warn("pod {} overcommits node {} and is left out: {}", podKey, nodeName, e.getMessage());
      markOrderDependent(podKey, nodeName);
      return null;
    }
    boundByGang.merge(key.gangName(), 1, Integer::sum);
    RunningPod running =
        new RunningPod(
            key.gangName(), key.tenant(), key.tier(), placement, runningSeconds(pod, now));
    runningByKey.put(podKey, running);
    return running;
  }

  /**
   * The GPUs the pod holds as recorded in {@value KubeKeys#GPU_INDICES_ANNOTATION}, none for a pod
   * without GPUs; {@code null} when nothing usable is recorded.
   */
  private static int[] recordedGpus(Pod pod, PodRequest req, NodeState node) {
    if (!req.needsGpu()) {
      return new int[0];
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String recorded = annotations == null ? null : annotations.get(KubeKeys.GPU_INDICES_ANNOTATION);
    Translation<int[]> parsed = GpuIndices.parse(recorded);
    if (parsed.isOk() && parsed.value().length == req.gpuCount()) {
      int[] gpus = parsed.value();
      boolean inRange = true;
      for (int g : gpus) {
        inRange &= g < node.gpuCount();
      }
      if (inRange) {
        return gpus;
      }
    }
    return null;
  }

  /** The GPUs Strata would have chosen, for a GPU pod bound by someone else without a record. */
  private static int[] guessedGpus(PodRequest req, NodeState node) {
    int[] free = ClusterSnapshot.freeGpus(req, node);
    if (free != null) {
      return free;
    }
    if (req.isGpuShare()) {
      return new int[] {0};
    }
    int[] gpus = new int[req.gpuCount()];
    for (int i = 0; i < gpus.length; i++) {
      gpus[i] = i % Math.max(1, node.gpuCount());
    }
    return gpus;
  }

  private static long runningSeconds(Pod pod, Instant now) {
    String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (start == null) {
      return 0;
    }
    try {
      return Math.max(0, Duration.between(Instant.parse(start), now).getSeconds());
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /** The nodes with nothing on them; never changed once built, so snapshots share it. */
  private final ClusterState empty;

  /** The nodes with nothing on them, to tell a node that is full from one that can never fit. */
  ClusterState empty() {
    return empty;
  }

  /**
   * The last long list of names resolved, each name's node index (-1: not usable) and each node's
   * position in the list. Replaced whole, so a snapshot being built from this one on another thread
   * reads a consistent one.
   */
  private record NameOrder(String[] names, int[] indices, int[] position) {}

  private volatile NameOrder order = new NameOrder(new String[0], new int[0], null);

  /** How far ahead of the expected position a name is looked for before the map is asked. */
  private static final int LOOK_AHEAD = 32;

  /**
   * The node index of each of {@code names} by position, -1 for a name that is not a usable node.
   * kube-scheduler sends its nodes in the same order on every call, and prioritize sends a
   * subsequence of what filter sent, so each name is first compared with the names that followed
   * the previous one in the last long list; only the rest are hashed into {@link #nodeIndex}. At
   * thousands of nodes the map lookups were a quarter of a filter's time.
   */
  int[] indices(List<String> names) {
    NameOrder last = order;
    String[] lastNames = last.names();
    int[] lastIndices = last.indices();
    int[] lastPosition = last.position();
    int[] out = new int[names.size()];
    int cursor = 0;
    for (int i = 0; i < out.length; i++) {
      String name = names.get(i);
      int found = -1;
      int end = Math.min(lastNames.length, cursor + LOOK_AHEAD);
      for (int k = cursor; k < end; k++) {
        if (lastNames[k].equals(name)) {
          found = k;
          break;
        }
      }
      if (found >= 0) {
        out[i] = lastIndices[found];
        cursor = found + 1;
        continue;
      }
      Integer index = nodeIndex.get(name);
      out[i] = index == null ? -1 : index;
      if (index != null && lastPosition != null && lastPosition[index] >= 0) {
        cursor = lastPosition[index] + 1;
      }
    }
    if (names.size() >= lastNames.length) {
      int[] position = new int[nodes.size()];
      java.util.Arrays.fill(position, -1);
      for (int k = 0; k < out.length; k++) {
        if (out[k] >= 0) {
          position[out[k]] = k;
        }
      }
      order = new NameOrder(names.toArray(new String[0]), out.clone(), position);
    }
    return out;
  }

  /** Pending members of the gang in name order; empty when none. */
  List<Pod> pending(String gangName) {
    List<Pod> pods = pendingByGang.getOrDefault(gangName, List.of());
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return sorted;
  }
}
