package dev.strata.scheduler.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The extender's cache of the cluster: every Node and every Pod, as informers (or a test) deliver
 * them. kube-scheduler with {@code nodeCacheCapable: true} sends only node names, so this is where
 * the extender learns what the nodes offer and what already runs on them. Each change bumps {@link
 * #version()}, so the service rebuilds its snapshot only when something changed.
 *
 * <p>Thread-safe: informer threads write while HTTP threads read.
 */
public final class ClusterView {

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Pod> podsByKey = new HashMap<>();
  private long version;

  /** The {@link #version} of the last node change: pod events leave the nodes' reading as it is. */
  private long nodesVersion;

  /** A consistent copy of the cache at one version. */
  record Contents(long version, long nodesVersion, List<Node> nodes, List<Pod> pods) {}

  public synchronized void upsertNode(Node node) {
    nodes.put(node.getMetadata().getName(), node);
    version++;
    nodesVersion = version;
  }

  public synchronized void removeNode(String name) {
    if (nodes.remove(name) != null) {
      version++;
      nodesVersion = version;
    }
  }

  public synchronized void upsertPod(Pod pod) {
    podsByKey.put(key(pod), pod);
    version++;
  }

  public synchronized void removePod(Pod pod) {
    if (podsByKey.remove(key(pod)) != null) {
      version++;
    }
  }

  public synchronized long version() {
    return version;
  }

  public synchronized Pod pod(String namespace, String name) {
    return podsByKey.get(namespace + "/" + name);
  }

  synchronized Contents contents() {
    return new Contents(
        version,
        nodesVersion,
        new ArrayList<>(nodes.values()),
        new ArrayList<>(podsByKey.values()));
  }

  static String key(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    return (ns == null ? "default" : ns) + "/" + pod.getMetadata().getName();
  }
}
