package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.kube.NodeSpecs;
import dev.strata.scheduler.kube.Translation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extender's cache of the cluster: every Node and every Pod, as informers (or a test) deliver
 * them. kube-scheduler with {@code nodeCacheCapable: true} sends only node names, so this is where
 * the extender learns what the nodes offer and what already runs on them. Each change bumps {@link
 * #version()}; pod changes are also journaled, so the service can apply just the pods that changed
 * since the version it last saw ({@link #podChangesSince}) instead of reading every pod again.
 *
 * <p>Thread-safe: informer threads write while HTTP threads read.
 */
public final class ClusterView {

  private final Map<String, Node> nodes = new HashMap<>();

  /** How the scheduler reads each node, to tell a change it reads from one it does not. */
  private final Map<String, Translation<NodeSpec>> readings = new HashMap<>();

  private final Map<String, Pod> podsByKey = new HashMap<>();
  private long version;

  /** The {@link #version} of the last node change: pod events leave the nodes' reading as it is. */
  private long nodesVersion;

  /**
   * How many pod changes the journal keeps. A reader further behind than that reads everything
   * again; at thousands of pod events between two scheduling calls that costs no more.
   */
  static final int JOURNAL_LIMIT = 20_000;

  private record Journaled(long version, String podKey) {}

  private final ArrayDeque<Journaled> journal = new ArrayDeque<>();

  /** The newest version whose pod change is no longer in the journal. */
  private long journalFloor;

  /** A consistent copy of the cache at one version. */
  record Contents(long version, long nodesVersion, List<Node> nodes, List<Pod> pods) {}

  /**
   * The pods changed after one version, up to {@code version}: each changed pod's key and what it
   * is now, {@code null} for a pod that is gone. Oldest change first.
   */
  record PodChanges(long version, Map<String, Pod> pods) {}

  public synchronized void upsertNode(Node node) {
    String name = node.getMetadata().getName();
    nodes.put(name, node);
    Translation<NodeSpec> reading = NodeSpecs.from(node);
    Translation<NodeSpec> before = readings.put(name, reading);
    if (before != null && sameReading(before, reading)) {
      // A status report that changes nothing Strata reads (heartbeat times, images, addresses):
      // a busy cluster's nodes send thousands, and none may cost a reading of the whole cache.
      return;
    }
    version++;
    nodesVersion = version;
  }

  /** Whether two readings are the same to the scheduler: one spec, or unusable for one reason. */
  private static boolean sameReading(Translation<NodeSpec> x, Translation<NodeSpec> y) {
    if (x.isOk() != y.isOk()) {
      return false;
    }
    return x.isOk() ? x.value().equals(y.value()) : x.reason().equals(y.reason());
  }

  public synchronized void removeNode(String name) {
    readings.remove(name);
    if (nodes.remove(name) != null) {
      version++;
      nodesVersion = version;
    }
  }

  public synchronized void upsertPod(Pod pod) {
    String key = key(pod);
    podsByKey.put(key, pod);
    version++;
    journal(key);
  }

  public synchronized void removePod(Pod pod) {
    String key = key(pod);
    if (podsByKey.remove(key) != null) {
      version++;
      journal(key);
    }
  }

  private void journal(String podKey) {
    journal.addLast(new Journaled(version, podKey));
    if (journal.size() > JOURNAL_LIMIT) {
      journalFloor = journal.removeFirst().version();
    }
  }

  /**
   * The pods that changed after version {@code since}, or {@code null} when that cannot be told
   * from pods alone: a node changed since, or the journal no longer reaches back that far.
   */
  synchronized PodChanges podChangesSince(long since) {
    if (since > version || nodesVersion > since || journalFloor > since) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    Iterator<Journaled> newestFirst = journal.descendingIterator();
    while (newestFirst.hasNext()) {
      Journaled change = newestFirst.next();
      if (change.version() <= since) {
        break;
      }
      keys.add(change.podKey());
    }
    Map<String, Pod> pods = new LinkedHashMap<>();
    for (int i = keys.size() - 1; i >= 0; i--) {
      String key = keys.get(i);
      pods.remove(key);
      pods.put(key, podsByKey.get(key));
    }
    return new PodChanges(version, pods);
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
