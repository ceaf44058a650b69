package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANDBOX STAND-IN for the kubelets of the compute cluster, in the manner of KWOK: pods bound to a
 * simulated node (label {@code sandbox.strata.dev/simulated=true}) go Running with an IP from the
 * node's pod CIDR, run as {@link SimulatedRun} says, then Succeed or Fail; containers restart as
 * the pod's restartPolicy says. A pod whose PersistentVolumeClaim is missing stays Pending with the
 * claim named in its conditions until the claim appears.
 *
 * <p>Every change is made on one thread, so a pod's timers and status writes never race. Pods are
 * matched to nodes in the client (a field selector on spec.nodeName finds nothing on the CRUD mock
 * API server).
 */
public final class NodeSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeSimulator.class);

  /** How often a pod waiting for its claim looks for it again. */
  static final Duration CLAIM_RECHECK = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "node-simulator");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Tracked> pods = new HashMap<>();
  private final Set<String> done = new HashSet<>();
  private final PodIpAllocator ips = new PodIpAllocator();
  private SharedIndexInformer<Node> nodeInformer;
  private SharedIndexInformer<Pod> podInformer;

  /** What the simulator remembers of a pod it runs. */
  private static final class Tracked {
    final String namespace;
    final String name;
    String podIp;
    Instant startTime;
    Instant containersStarted;
    int restarts;
    String missingClaim;
    ScheduledFuture<?> timer;

    Tracked(Pod pod) {
      this.namespace = pod.getMetadata().getNamespace();
      this.name = pod.getMetadata().getName();
    }
  }

  private NodeSimulator(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Starts simulating every node labelled {@code sandbox.strata.dev/simulated=true}. */
  public static NodeSimulator start(KubernetesClient client) {
    return start(client, Clock.systemUTC());
  }

  static NodeSimulator start(KubernetesClient client, Clock clock) {
    NodeSimulator simulator = new NodeSimulator(client, clock);
    simulator.nodeInformer =
        client
            .nodes()
            .withLabel(ComputeNodeInventory.SIMULATED_LABEL, "true")
            .inform(simulator.nodeHandler());
    simulator.podInformer = client.pods().inAnyNamespace().inform(simulator.podHandler());
    return simulator;
  }

  private ResourceEventHandler<Node> nodeHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        run(
            () -> {
              nodes.put(node.getMetadata().getName(), node);
              // Pods bound before the node was seen.
              podInformer()
                  .ifPresent(i -> i.getStore().list().forEach(NodeSimulator.this::consider));
            });
      }

      @Override
      public void onUpdate(Node old, Node node) {
        run(() -> nodes.put(node.getMetadata().getName(), node));
      }

      @Override
      public void onDelete(Node node, boolean unknown) {
        run(() -> nodes.remove(node.getMetadata().getName()));
      }
    };
  }

  private Optional<SharedIndexInformer<Pod>> podInformer() {
    return Optional.ofNullable(podInformer);
  }

  private ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        run(() -> consider(pod));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        run(() -> consider(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        run(() -> forget(pod.getMetadata().getUid()));
      }
    };
  }

  private void run(Runnable task) {
    thread.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("node simulator: {}", e.getMessage(), e);
          }
        });
  }

  // ---- on the simulator thread ---------------------------------------------------------------

  private void consider(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || !nodes.containsKey(nodeName) || done.contains(uid)) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      // The kubelet stops the containers and removes the pod for good.
      forget(uid);
      done.add(uid);
      client.resource(pod).withGracePeriod(0).delete();
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      done.add(uid);
      return;
    }
    if (pods.containsKey(uid)) {
      return; // already ours: its timer drives it
    }
    Tracked tracked = new Tracked(pod);
    pods.put(uid, tracked);
    if ("Running".equals(phase) && pod.getStatus().getPodIP() != null) {
      // Adopted after a restart of the simulator: it runs on from now.
      tracked.podIp = pod.getStatus().getPodIP();
      tracked.startTime = clock.instant();
      tracked.containersStarted = tracked.startTime;
      schedule(uid, pod);
      return;
    }
    start(uid, pod);
  }

  private void start(String uid, Pod pod) {
    Tracked tracked = pods.get(uid);
    if (tracked == null) {
      return;
    }
    Node node = nodes.get(pod.getSpec().getNodeName());
    if (node == null) {
      return;
    }
    Optional<String> missing = PodWarnings.missingClaim(client, pod);
    if (missing.isPresent()) {
      if (!missing.get().equals(tracked.missingClaim)) {
        tracked.missingClaim = missing.get();
        StatusWriter.write(
            client,
            tracked.namespace,
            tracked.name,
            p -> PodStatuses.waitingForClaim(p, missing.get(), hostIp(node), clock.instant()));
        failedMountEvent(pod, missing.get());
      }
      tracked.timer =
          thread.schedule(
              () -> run(() -> recheck(uid)), CLAIM_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    tracked.missingClaim = null;
    tracked.podIp = ips.allocate(node.getMetadata().getName(), node.getSpec().getPodCIDR());
    tracked.startTime = clock.instant();
    tracked.containersStarted = tracked.startTime;
    Pod written =
        StatusWriter.write(
            client,
            tracked.namespace,
            tracked.name,
            p ->
                uid.equals(p.getMetadata().getUid())
                    ? PodStatuses.running(
                        p, tracked.podIp, hostIp(node), tracked.startTime, clock.instant(), 0)
                    : null);
    if (written == null) {
      forget(uid);
      return;
    }
    SimulatedRun run = SimulatedRun.of(pod);
    if (run.problem() != null) {
      log.warn("pod {}/{}: {}", tracked.namespace, tracked.name, run.problem());
    }
    schedule(uid, pod);
  }

  private void recheck(String uid) {
    Tracked tracked = pods.get(uid);
    if (tracked == null) {
      return;
    }
    Pod pod = client.pods().inNamespace(tracked.namespace).withName(tracked.name).get();
    if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
      forget(uid);
      return;
    }
    start(uid, pod);
  }

  private void schedule(String uid, Pod pod) {
    SimulatedRun run = SimulatedRun.of(pod);
    if (run.runsUntilDeleted()) {
      return;
    }
    Tracked tracked = pods.get(uid);
    tracked.timer =
        thread.schedule(
            () -> run(() -> exit(uid, run.exitCode())),
            run.runFor().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void exit(String uid, int exitCode) {
    Tracked tracked = pods.get(uid);
    if (tracked == null) {
      return;
    }
    Pod pod = client.pods().inNamespace(tracked.namespace).withName(tracked.name).get();
    if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
      forget(uid);
      return;
    }
    Node node = nodes.get(pod.getSpec().getNodeName());
    String hostIp = node == null ? null : hostIp(node);
    Instant now = clock.instant();
    if (PodStatuses.restarts(pod, exitCode)) {
      tracked.restarts++;
      tracked.containersStarted = now;
      StatusWriter.write(
          client,
          tracked.namespace,
          tracked.name,
          p ->
              PodStatuses.running(
                  p, tracked.podIp, hostIp, tracked.startTime, now, tracked.restarts));
      schedule(uid, pod);
      return;
    }
    StatusWriter.write(
        client,
        tracked.namespace,
        tracked.name,
        p ->
            PodStatuses.finished(
                p,
                tracked.podIp,
                hostIp,
                tracked.startTime,
                tracked.containersStarted,
                now,
                exitCode,
                tracked.restarts));
    pods.remove(uid);
    done.add(uid);
  }

  private void forget(String uid) {
    Tracked tracked = pods.remove(uid);
    if (tracked != null && tracked.timer != null) {
      tracked.timer.cancel(false);
    }
  }

  private void failedMountEvent(Pod pod, String claim) {
    PodWarnings.event(
        client,
        pod,
        "FailedMount",
        "Unable to attach or mount volumes: persistentvolumeclaim \"" + claim + "\" not found",
        "kubelet",
        pod.getSpec().getNodeName(),
        clock.instant());
  }

  private static String hostIp(Node node) {
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    if (podInformer != null) {
      podInformer.close();
    }
    if (nodeInformer != null) {
      nodeInformer.close();
    }
    thread.shutdownNow();
  }
}
