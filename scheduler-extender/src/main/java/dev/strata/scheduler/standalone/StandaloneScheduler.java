package dev.strata.scheduler.standalone;

import dev.strata.scheduler.kube.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strata's scheduler for pods with {@code spec.schedulerName} {@link
 * StandaloneConfig#schedulerName()}: informers on all pods and all nodes feed one loop thread that
 * plans a pass ({@link Planner}, pure) and carries it out ({@link Applier}) whenever something
 * changed, and at least every {@link StandaloneConfig#tick()}.
 *
 * <p>Its only state of its own is what the API cannot show yet: placements being bound (assumed)
 * and gangs waiting for their preemption victims to go. Everything else is read from the informers'
 * caches, so a new instance started on the same cluster carries on where an old one stopped: bound
 * pods count as running, a pod with GPU indices but no node is decided again, a gang bound halfway
 * is completed. The informers' periodic resync and their re-list after a broken watch catch up with
 * missed events.
 *
 * <p>Embed it with a client of your own: {@code try (var s = new StandaloneScheduler(client,
 * config)) { s.start(); ... }}; {@link StandaloneMain} runs it as a process.
 */
public final class StandaloneScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneScheduler.class);

  private final KubernetesClient client;
  private final StandaloneConfig config;
  private final Clock clock;
  private final Planner planner;
  private final Map<String, ClusterSnapshot.Assumed> assumed = new HashMap<>();
  private final Map<String, Nomination> nominations = new HashMap<>();
  private final Applier applier;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean dirty = true;
  private volatile boolean running;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Node> nodes;
  private Thread loop;
  private volatile long passes;

  public StandaloneScheduler(KubernetesClient client, StandaloneConfig config) {
    this(client, config, Clock.systemUTC());
  }

  StandaloneScheduler(KubernetesClient client, StandaloneConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.planner = new Planner(config);
    this.applier = new Applier(client, config.schedulerName(), assumed, nominations, clock);
  }

  /** Starts the informers, waits for their first list, then starts the scheduling loop. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    ResourceEventHandler<Object> signal =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            signal();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            signal();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            signal();
          }
        };
    long resync = config.resync().toMillis();
    nodes = client.nodes().inform(cast(signal), resync);
    pods = client.pods().inAnyNamespace().inform(cast(signal), resync);
    loop = new Thread(this::run, "strata-scheduler-loop");
    loop.setDaemon(true);
    loop.start();
    LOG.info(
        "{} started (policy {}, {} tenant quotas)",
        config.schedulerName(),
        config.policy(),
        config.quotas().size());
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
  }

  /** Passes run so far; tests and the sandbox wait on it rather than on time. */
  public long passes() {
    return passes;
  }

  private void signal() {
    lock.lock();
    try {
      dirty = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (running) {
      lock.lock();
      try {
        if (!dirty) {
          wake.await(config.tick().toMillis(), TimeUnit.MILLISECONDS);
        }
        dirty = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      if (!running) {
        return;
      }
      try {
        pass();
      } catch (RuntimeException e) {
        // One bad pass must not stop scheduling; the next starts from the API's state again.
        LOG.error("scheduling pass failed", e);
      }
    }
  }

  private void pass() {
    List<Pod> allPods = pods.getStore().list();
    List<Node> allNodes = nodes.getStore().list();
    forgetSettledAssumptions(allPods);
    Planner.Plan plan = planner.plan(allNodes, allPods, assumed, nominations, clock.instant());
    plan.lapsedNominations().forEach(nominations::remove);
    for (Action action : plan.actions()) {
      if (!running) {
        return;
      }
      applier.apply(action);
    }
    passes++;
  }

  /** An assumption ends when the informer shows the pod bound, or the pod gone. */
  private void forgetSettledAssumptions(List<Pod> allPods) {
    if (assumed.isEmpty()) {
      return;
    }
    Map<String, Pod> byUid = new HashMap<>();
    allPods.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
    assumed
        .keySet()
        .removeIf(
            uid -> {
              Pod pod = byUid.get(uid);
              return pod == null
                  || (pod.getSpec().getNodeName() != null
                      && !pod.getSpec().getNodeName().isEmpty());
            });
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    signal();
    if (loop != null) {
      try {
        loop.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (pods != null) {
      pods.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    LOG.info("{} stopped", config.schedulerName());
  }
}
