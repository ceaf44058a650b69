package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.GpuChoice;
import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.Tier;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the core needs to decide, read from the API objects: the usable nodes and every pod that
 * holds resources on them as a {@link RunningPod}, with the way back from a running pod to its API
 * object (to evict it).
 *
 * <p>A pod holds resources when it has {@code spec.nodeName} on a usable node and has not finished
 * (phase Succeeded or Failed); a pod being deleted still holds them until it is gone. A pending pod
 * the caller has just placed but whose binding the API has not shown yet is passed in as {@code
 * assumed} and counts as running there, so the next decision does not give its GPUs away. GPUs:
 * from annotation {@value KubeKeys#GPU_INDICES_ANNOTATION}; a pod bound without it (by another
 * scheduler) gets the lowest free GPUs on its node after the annotated pods are counted, so two
 * pods are never counted on one GPU. A pod that cannot be counted (its request does not read, or it
 * does not fit on its node as recorded) is left out and listed in {@link #problems()} with the
 * reason.
 */
public final class ClusterSnapshot {

  /** A pending pod the caller has placed and is binding. */
  public record Assumed(String node, int[] gpus) {
    public Assumed {
      Objects.requireNonNull(node, "node");
      gpus = gpus.clone();
    }

    @Override
    public int[] gpus() {
      return gpus.clone();
    }
  }

  private final List<NodeSpec> nodes;
  private final Map<String, String> excludedNodes;
  private final List<RunningPod> running;
  private final Map<RunningPodKey, Pod> podByRunning;
  private final Map<String, String> problems;
  private final ClusterState cluster;

  private record RunningPodKey(String gang, String pod) {}

  private ClusterSnapshot(
      List<NodeSpec> nodes,
      Map<String, String> excludedNodes,
      List<RunningPod> running,
      Map<RunningPodKey, Pod> podByRunning,
      Map<String, String> problems,
      ClusterState cluster) {
    this.cluster = cluster;
    this.nodes = List.copyOf(nodes);
    this.excludedNodes = Map.copyOf(excludedNodes);
    this.running = List.copyOf(running);
    this.podByRunning = Map.copyOf(podByRunning);
    this.problems = Map.copyOf(problems);
  }

  /**
   * @param assumed by pod UID
   * @param now for running times, which choose the cheapest preemption victims
   */
  public static ClusterSnapshot of(
      Collection<Node> nodeObjects,
      Collection<Pod> pods,
      Map<String, Assumed> assumed,
      Instant now) {
    NodeSpecs.Usable usable = NodeSpecs.usable(List.copyOf(nodeObjects));
    ClusterState cluster = new ClusterState(usable.nodes());
    Map<String, Integer> indexByNode = new HashMap<>();
    for (int i = 0; i < usable.nodes().size(); i++) {
      indexByNode.put(usable.nodes().get(i).name(), i);
    }
    Map<String, String> problems = new LinkedHashMap<>();
    List<Holder> holders = new ArrayList<>();
    for (Pod pod : pods) {
      Holder holder = holder(pod, assumed, indexByNode, problems);
      if (holder != null) {
        holders.add(holder);
      }
    }
    // Pods that say which GPUs they hold go first, so the rest cannot take those GPUs.
    holders.sort(
        Comparator.comparing((Holder h) -> h.gpus == null)
            .thenComparing(h -> created(h.pod))
            .thenComparing(h -> key(h.pod)));
    List<RunningPod> running = new ArrayList<>();
    Map<RunningPodKey, Pod> podByRunning = new HashMap<>();
    for (Holder h : holders) {
      NodeState node = cluster.node(h.nodeIndex);
      int[] gpus = h.gpus != null ? h.gpus : freeGpus(h.request, node);
      String fits = fits(h.request, node, gpus);
      if (fits != null) {
        problems.put(key(h.pod), fits);
        continue;
      }
      Placement placement = new Placement(h.request, h.nodeIndex, node.name(), gpus);
      try {
        cluster.bind(placement);
      } catch (IllegalStateException e) {
        problems.put(key(h.pod), e.getMessage());
        continue;
      }
      RunningPod rp =
          new RunningPod(
              h.gang.gangName(),
              h.gang.tenant(),
              h.gang.tier(),
              placement,
              runningSeconds(h.pod, now));
      running.add(rp);
      podByRunning.put(new RunningPodKey(rp.gang(), h.request.name()), h.pod);
    }
    return new ClusterSnapshot(
        usable.nodes(), usable.excluded(), running, podByRunning, problems, cluster);
  }

  /** Usable nodes in name order; placements refer to them by position. */
  public List<NodeSpec> nodes() {
    return nodes;
  }

  /** Why each other node is left out, by node name. */
  public Map<String, String> excludedNodes() {
    return excludedNodes;
  }

  /**
   * The usable nodes with every pod of {@link #running()} bound, as the reading built it: the
   * caller's to change (a scheduling pass binds what it admits), not a copy.
   */
  public ClusterState cluster() {
    return cluster;
  }

  public List<RunningPod> running() {
    return running;
  }

  /** The API object of a pod in {@link #running()}. */
  public Pod pod(RunningPod running) {
    Pod pod = podByRunning.get(new RunningPodKey(running.gang(), running.placement().pod().name()));
    if (pod == null) {
      throw new IllegalArgumentException("not in this snapshot: " + running.placement());
    }
    return pod;
  }

  /** Pods on usable nodes that could not be counted, by {@code namespace/name}, with why. */
  public Map<String, String> problems() {
    return problems;
  }

  public static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** True for a pod that has run to completion or failed: it holds nothing any more. */
  public static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private record Holder(Pod pod, PodRequest request, GangKey gang, int nodeIndex, int[] gpus) {}

  private static Holder holder(
      Pod pod,
      Map<String, Assumed> assumed,
      Map<String, Integer> indexByNode,
      Map<String, String> problems) {
    if (finished(pod) || pod.getSpec() == null) {
      return null;
    }
    String node = pod.getSpec().getNodeName();
    int[] gpus = null;
    Assumed assumption = assumed.get(pod.getMetadata().getUid());
    if ((node == null || node.isEmpty()) && assumption != null) {
      node = assumption.node();
      gpus = assumption.gpus();
    }
    if (node == null || node.isEmpty() || !indexByNode.containsKey(node)) {
      return null;
    }
    Translation<PodRequest> request = PodRequests.from(pod);
    if (request instanceof Translation.Rejected<PodRequest> r) {
      problems.put(key(pod), r.reason());
      return null;
    }
    PodRequest asked = request.value();
    // Already placed: the model restriction was checked when it was bound.
    PodRequest held =
        new PodRequest(
            asked.name(),
            asked.cpuMilli(),
            asked.memoryMib(),
            asked.gpuCount(),
            asked.gpuMilli(),
            Set.of());
    Translation<GangKey> gang = GangKeys.of(pod);
    GangKey key =
        gang.isOk()
            ? gang.value()
            : new GangKey(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                true,
                1,
                pod.getMetadata().getNamespace(),
                Tier.HIGH);
    if (gpus == null && held.needsGpu()) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String recorded =
          annotations == null ? null : annotations.get(KubeKeys.GPU_INDICES_ANNOTATION);
      if (recorded != null) {
        Translation<int[]> parsed = GpuIndices.parse(recorded);
        if (parsed.isOk() && parsed.value().length == held.gpuCount()) {
          gpus = parsed.value();
        }
      }
    }
    if (!held.needsGpu()) {
      gpus = new int[0];
    }
    return new Holder(pod, held, key, indexByNode.get(node), gpus);
  }

  /**
   * The GPUs Strata would choose on {@code node} as it is: the tightest share, or the lowest fully
   * free whole GPUs; {@code null} when there are none.
   */
  public static int[] freeGpus(PodRequest pod, NodeState node) {
    if (pod.isGpuShare()) {
      int gpu = GpuChoice.tightestFit(pod, node);
      return gpu < 0 ? null : new int[] {gpu};
    }
    if (node.fullyFreeGpus() < pod.gpuCount()) {
      return null;
    }
    return GpuChoice.lowestFreeWhole(pod, node);
  }

  private static String fits(PodRequest pod, NodeState node, int[] gpus) {
    if (gpus == null) {
      return "pod " + pod.name() + " holds GPUs on node " + node.name() + " that are all taken";
    }
    if (node.cpuFree() < pod.cpuMilli() || node.memoryFree() < pod.memoryMib()) {
      return "pod " + pod.name() + " overcommits CPU or memory of node " + node.name();
    }
    for (int gpu : gpus) {
      if (gpu >= node.gpuCount()) {
        return "pod " + pod.name() + " holds GPU " + gpu + " that node " + node.name() + " lacks";
      }
      if (node.gpuFree(gpu) < pod.gpuMilli()) {
        return "pod "
            + pod.name()
            + " holds GPU "
            + gpu
            + " of node "
            + node.name()
            + ", already taken";
      }
    }
    return null;
  }

  private static long runningSeconds(Pod pod, Instant now) {
    String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    Instant since = parse(started != null ? started : pod.getMetadata().getCreationTimestamp());
    return since == null ? 0 : Math.max(0, Duration.between(since, now).getSeconds());
  }

  /** The pod's creation time, or the epoch when it has none. */
  public static Instant created(Pod pod) {
    Instant t = parse(pod.getMetadata().getCreationTimestamp());
    return t == null ? Instant.EPOCH : t;
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
