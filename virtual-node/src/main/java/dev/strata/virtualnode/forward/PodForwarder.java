package dev.strata.virtualnode.forward;

import dev.strata.virtualnode.forward.DependencyRef.Kind;
import dev.strata.virtualnode.node.ComputeReachability;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the tenant pods bound to one virtual node into the compute cluster and reflects their
 * fate back: the pods and what they reference go forward, status and Events come back, deletions
 * travel both ways. Every decision is taken from the two clusters' informer caches; a key's sync is
 * idempotent, so a restart at any moment resumes where the caches stand.
 *
 * <p>Whether the compute cluster answers, and since when it does not, is read from the node's
 * {@link ComputeReachability}, which the node's probe keeps and the Node's Ready condition shows:
 * the forwarder writes to the compute cluster only while it answers, fails forwarded pods once an
 * outage outlasts {@link ForwardingConfig#disconnectionGrace()}, and reports a request that got no
 * answer into the same reading.
 */
public final class PodForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodForwarder.class);
  private static final long CONFLICT_RETRY_MS = 20;

  /** Event reason on a tenant pod whose compute namespace is not provisioned (fixed mode). */
  public static final String MISSING_NAMESPACE = "ComputeNamespaceMissing";

  private final KubernetesClient tenant;
  private final KubernetesClient compute;
  private final ForwardingConfig config;
  private final Clock clock;
  private final PodTranslator pods;
  private final DependencyTranslator dependencies;
  private final ComputeNamespaces namespaces;
  private final ComputeReachability reachability;
  private final ReferenceIndex references = new ReferenceIndex();
  private final Set<String> readyNamespaces = ConcurrentHashMap.newKeySet();

  /** The last state of compute pods that disappeared, by tenant pod key: why they ended. */
  private final Map<String, Pod> vanished = new ConcurrentHashMap<>();

  /**
   * The forwarder's own writes that the informers may not show yet: a tenant pod as its last status
   * write returned it (while the cache still holds the version it replaced), and compute pods just
   * created (until their watch event arrives). Reading through them spares a conflict and a retry.
   */
  private final Map<String, Written> writtenTenantPods = new ConcurrentHashMap<>();

  private final Map<String, Pod> createdComputePods = new ConcurrentHashMap<>();

  private record Written(String replacedVersion, Pod pod) {}

  /** The last state of tenant pods that disappeared, by key: their grace period. */
  private final Map<String, Pod> deletedTenantPods = new ConcurrentHashMap<>();

  private final List<SharedIndexInformer<?>> tenantInformers = new ArrayList<>();
  private SharedIndexInformer<Pod> tenantPods;
  private final Map<Kind, SharedIndexInformer<? extends HasMetadata>> tenantDeps =
      new ConcurrentHashMap<>();
  private volatile ComputeCaches computeCaches;
  private WorkQueue queue;
  private ScheduledExecutorService timer;

  /**
   * True from an outage until the compute caches are rebuilt after it: watch events missed
   * meanwhile are gone, so the old caches are not acted on even once the cluster answers again.
   */
  private boolean cachesStale;

  /**
   * Since when the forwarder has not been able to act (the outage's start, or the first failed
   * cache sync): forwarded pods' grace counts from here, and a probe that succeeds while the caches
   * still cannot be rebuilt does not restart it.
   */
  private Instant staleSince;

  /** How long a failed rebuild of the compute caches waits before the next try. */
  private static final long REBUILD_RETRY_MS = 5_000;

  private volatile boolean closed;
  private final Consumer<Boolean> onReachability = this::onReachabilityChanged;

  /**
   * @param reachability the node's reading of the compute cluster (see {@link
   *     dev.strata.virtualnode.node.NodeController#reachability()}), kept by its probe
   */
  public PodForwarder(
      KubernetesClient tenant,
      KubernetesClient compute,
      ForwardingConfig config,
      ComputeReachability reachability) {
    this(tenant, compute, config, reachability, Clock.systemUTC());
  }

  public PodForwarder(
      KubernetesClient tenant,
      KubernetesClient compute,
      ForwardingConfig config,
      ComputeReachability reachability,
      Clock clock) {
    this.tenant = tenant;
    this.compute = compute;
    this.config = config;
    this.clock = clock;
    this.pods = new PodTranslator(config);
    this.dependencies = new DependencyTranslator(pods);
    this.namespaces = pods.namespaces();
    this.reachability = reachability;
  }

  /** Starts the caches of both clusters, then forwarding and garbage collection. */
  public PodForwarder start() {
    queue = new WorkQueue("forward-" + config.tenant(), config.workers(), this::sync);
    tenantPods = tenantInformer(tenant.pods().inAnyNamespace().runnableInformer(0), onTenantPod);
    tenantDeps.put(
        Kind.CONFIG_MAP,
        tenantInformer(
            tenant.configMaps().inAnyNamespace().runnableInformer(0), depHandler(Kind.CONFIG_MAP)));
    tenantDeps.put(
        Kind.SECRET,
        tenantInformer(
            tenant.secrets().inAnyNamespace().runnableInformer(0), depHandler(Kind.SECRET)));
    tenantDeps.put(
        Kind.SERVICE,
        tenantInformer(tenant.services().inAnyNamespace().runnableInformer(0), onTenantService));
    tenantDeps.put(
        Kind.PERSISTENT_VOLUME_CLAIM,
        tenantInformer(
            tenant.persistentVolumeClaims().inAnyNamespace().runnableInformer(0),
            depHandler(Kind.PERSISTENT_VOLUME_CLAIM)));
    tenantInformers.forEach(i -> i.start().toCompletableFuture().join());
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "forward-timer-" + config.tenant());
              t.setDaemon(true);
              return t;
            });
    computeCaches = new ComputeCaches();
    if (!computeCaches.awaitSynced()) {
      markStale(clock.instant());
      LOG.warn("the compute caches did not sync: forwarding waits for them");
    }
    reachability.addListener(onReachability);
    if (reachability.reachable() && stale()) {
      rebuildComputeCachesLater(); // it answered again while the caches were being made
    }
    long gc = config.gcInterval().toMillis();
    timer.scheduleWithFixedDelay(this::collectGarbage, gc, gc, TimeUnit.MILLISECONDS);
    resyncAll();
    return this;
  }

  @Override
  public void close() {
    closed = true;
    reachability.removeListener(onReachability);
    if (timer != null) {
      timer.shutdownNow();
    }
    if (queue != null) {
      queue.close();
    }
    tenantInformers.forEach(SharedIndexInformer::stop);
    if (computeCaches != null) {
      computeCaches.stop();
    }
  }

  // ---- events in -----------------------------------------------------------------------------

  private <T extends HasMetadata> SharedIndexInformer<T> tenantInformer(
      SharedIndexInformer<T> informer, ResourceEventHandler<T> handler) {
    informer.addEventHandler(handler);
    tenantInformers.add(informer);
    return informer;
  }

  private final ResourceEventHandler<Pod> onTenantPod =
      handler(
          p -> queue.add(podKey(p.getMetadata().getNamespace(), p.getMetadata().getName())),
          p -> deletedTenantPods.put(Cache.metaNamespaceKeyFunc(p), p));

  private <T extends HasMetadata> ResourceEventHandler<T> depHandler(Kind kind) {
    return handler(o -> queue.add(depKey(kind, o)), o -> {});
  }

  /** A Service can start or stop selecting pods: their references change, not just its copy. */
  private final ResourceEventHandler<Service> onTenantService =
      handler(
          s -> {
            queue.add(depKey(Kind.SERVICE, s));
            for (Pod p :
                tenantPods
                    .getIndexer()
                    .byIndex(Cache.NAMESPACE_INDEX, s.getMetadata().getNamespace())) {
              if (boundHere(p)) {
                queue.add(podKey(p.getMetadata().getNamespace(), p.getMetadata().getName()));
              }
            }
          },
          s -> {});

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      Consumer<T> changed, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        deleted.accept(obj);
        changed.accept(obj);
      }
    };
  }

  private void onComputeObject(HasMetadata o) {
    if (o instanceof Pod) {
      createdComputePods.remove(Cache.metaNamespaceKeyFunc(o));
    }
    Map<String, String> labels = o.getMetadata().getLabels();
    if (labels == null || !config.tenant().equals(labels.get(ComputeNames.TENANT))) {
      return;
    }
    String ns = labels.get(ComputeNames.SOURCE_NAMESPACE);
    String name = labels.get(ComputeNames.SOURCE_NAME);
    if (o instanceof Pod) {
      queue.add(podKey(ns, name));
    } else {
      Kind kind = Orphans.kindOf(o);
      if (kind != null) {
        queue.add("D:" + new DependencyRef(kind, ns, name).key());
      }
    }
  }

  private void onComputePodDeleted(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    if (labels != null) {
      vanished.put(
          podKey(labels.get(ComputeNames.SOURCE_NAMESPACE), labels.get(ComputeNames.SOURCE_NAME)),
          p);
    }
  }

  /** Only Events about this forwarder's pods are queued; the compute cluster has many more. */
  private void onComputeEvent(Event e) {
    var involved = e.getInvolvedObject();
    ComputeCaches caches = computeCaches;
    if (involved != null
        && "Pod".equals(involved.getKind())
        && caches != null
        && caches.pods.get(involved.getNamespace() + "/" + involved.getName()) != null) {
      queue.add("E:" + Cache.metaNamespaceKeyFunc(e));
    }
  }

  private static String podKey(String ns, String name) {
    return "P:" + ns + "/" + name;
  }

  private static String depKey(Kind kind, HasMetadata o) {
    return "D:"
        + new DependencyRef(kind, o.getMetadata().getNamespace(), o.getMetadata().getName()).key();
  }

  private boolean boundHere(Pod p) {
    return p.getSpec() != null && config.nodeName().equals(p.getSpec().getNodeName());
  }

  // ---- sync ----------------------------------------------------------------------------------

  private void sync(String key) {
    try {
      switch (key.charAt(0)) {
        case 'P' -> syncPod(key, key.substring(2));
        case 'D' -> syncDependency(key.substring(2));
        case 'E' -> reflectEvent(key.substring(2));
        default -> throw new IllegalStateException("unknown key " + key);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        queue.addAfter(key, CONFLICT_RETRY_MS); // a stale cache: try again once it caught up
        return;
      }
      if (e.getCode() == 0) {
        markUnreachable(e.getMessage());
      }
      throw e;
    }
  }

  private void syncPod(String key, String nsName) {
    String tenantNs = nsName.substring(0, nsName.indexOf('/'));
    String name = nsName.substring(nsName.indexOf('/') + 1);
    String computeNs = namespaces.of(tenantNs);
    Pod source = newest(nsName, tenantPods.getStore().getByKey(nsName));
    ComputeCaches caches = computeCaches;
    Pod target = caches.pods.get(computeNs + "/" + name);
    if (target == null) {
      target = createdComputePods.get(computeNs + "/" + name);
    }
    boolean reachable = forwarding() && caches.synced();

    if (source == null || !boundHere(source)) {
      references.remove(nsName);
      Pod last = deletedTenantPods.remove(nsName);
      if (target != null && reachable) {
        deleteCompute(target, gracePeriod(last));
      }
      vanished.remove(key);
      return;
    }
    String uid = source.getMetadata().getUid();
    if (target != null && !Objects.equals(uid, label(target, ComputeNames.SOURCE_UID))) {
      // A pod of the same name from an earlier tenant pod: it goes before the new one comes.
      if (reachable) {
        deleteCompute(target, 0L);
      }
      return;
    }
    if (source.getMetadata().getDeletionTimestamp() != null) {
      if (target != null) {
        if (reachable && target.getMetadata().getDeletionTimestamp() == null) {
          deleteCompute(target, source.getMetadata().getDeletionGracePeriodSeconds());
        }
      } else if (reachable) {
        // The compute pod is gone: finish the tenant pod's deletion, as a kubelet does.
        tenant.pods().inNamespace(tenantNs).withName(name).withGracePeriod(0).delete();
      }
      return;
    }
    if (!reachable) {
      Duration left = config.disconnectionGrace().minus(pausedFor());
      if (left.isNegative() || left.isZero()) {
        if (!StatusTranslator.isTerminal(source)) {
          fail(
              source,
              StatusTranslator.COMPUTE_UNREACHABLE,
              "the compute cluster was unreachable (or its objects could not be listed) for longer"
                  + " than "
                  + config.disconnectionGrace());
        }
      } else {
        queue.addAfter(key, left.toMillis() + 1);
      }
      return;
    }
    if (StatusTranslator.isTerminal(source)) {
      // The tenant side has ended the pod (e.g. failed after an outage): its compute pod stops.
      if (target != null
          && !StatusTranslator.isTerminal(target)
          && target.getMetadata().getDeletionTimestamp() == null) {
        deleteCompute(target, null);
      }
      return;
    }
    if (target == null && !provisioned(computeNs)) {
      // Fixed mode: only the chart provisions namespaces. The pod waits, Pending, for an operator.
      recordEvent(
          source,
          "Warning",
          MISSING_NAMESPACE,
          "compute namespace "
              + computeNs
              + " (for tenant namespace "
              + tenantNs
              + ") is not among this virtual node's compute namespaces "
              + new TreeSet<>(config.computeNamespaces())
              + "; add the tenant namespace to the compute chart's tenant namespaces and the"
              + " namespace to --compute-namespaces",
          null);
      return;
    }
    Set<DependencyRef> refs = PodReferences.of(source, servicesIn(tenantNs));
    references.put(nsName, refs);
    if (target == null) {
      if (StatusTranslator.wasAccepted(source)) {
        endVanished(key, source, computeNs);
        return;
      }
      try {
        ensureNamespace(tenantNs, computeNs);
      } catch (NamespaceConflict e) {
        recordEvent(source, "Warning", "NamespaceConflict", e.getMessage(), null);
        throw e;
      }
      ensureDependencies(refs);
      Pod created;
      try {
        created = compute.pods().inNamespace(computeNs).resource(pods.toCompute(source)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          refuseForeignPod(source, computeNs);
        }
        throw e; // ours, and the cache has not caught up: retried shortly
      }
      createdComputePods.put(computeNs + "/" + name, created);
      writeStatus(source, StatusTranslator.accepted(source, created));
      return;
    }
    ensureDependencies(refs);
    pods.update(target, source)
        .ifPresent(p -> compute.pods().inNamespace(computeNs).resource(p).update());
    PodStatus status = StatusTranslator.fromCompute(source, target);
    if (!Objects.equals(status, source.getStatus())) {
      writeStatus(source, status);
    }
  }

  /**
   * A compute pod of the tenant pod's name that this forwarder does not own is never touched: the
   * tenant is told, and the pod is retried with backoff rather than at conflict pace.
   */
  private void refuseForeignPod(Pod source, String computeNs) {
    Pod existing =
        compute.pods().inNamespace(computeNs).withName(source.getMetadata().getName()).get();
    if (existing != null
        && !ComputeNames.managedBy(config.tenant())
            .equals(label(existing, ComputeNames.MANAGED_BY))) {
      String message =
          "compute pod "
              + computeNs
              + "/"
              + source.getMetadata().getName()
              + " exists and is not this virtual node's; the pod waits until it is gone";
      recordEvent(source, "Warning", "NameConflict", message, null);
      throw new IllegalStateException(message);
    }
  }

  /** A forwarded pod whose compute pod is no longer there: the pod ends, as it would have. */
  private void endVanished(String key, Pod source, String computeNs) {
    String name = source.getMetadata().getName();
    // The informer may lag behind a create: only the API server can say the pod is gone.
    if (compute.pods().inNamespace(computeNs).withName(name).get() != null) {
      queue.addAfter(key, CONFLICT_RETRY_MS);
      return;
    }
    Pod last = vanished.remove(key);
    if (last != null && StatusTranslator.isTerminal(last)) {
      writeStatus(source, StatusTranslator.fromCompute(source, last));
      return;
    }
    StatusTranslator.Ending ending = StatusTranslator.vanishedReason(last);
    writeStatus(source, StatusTranslator.ended(source, ending));
    recordEvent(source, "Warning", ending.reason(), ending.message(), null);
  }

  private void fail(Pod source, String reason, String message) {
    writeStatus(source, StatusTranslator.failed(source, reason, message));
    recordEvent(source, "Warning", reason, message, null);
  }

  private void writeStatus(Pod source, PodStatus status) {
    Pod copy = PodTranslator.JSON.clone(source);
    copy.setStatus(status);
    Pod written =
        tenant
            .pods()
            .inNamespace(source.getMetadata().getNamespace())
            .resource(copy)
            .updateStatus();
    writtenTenantPods.put(
        Cache.metaNamespaceKeyFunc(source),
        new Written(source.getMetadata().getResourceVersion(), written));
  }

  /** The cached tenant pod, or this forwarder's later write of it while the cache lags. */
  private Pod newest(String nsName, Pod cached) {
    Written written = writtenTenantPods.get(nsName);
    if (written == null) {
      return cached;
    }
    if (cached != null
        && Objects.equals(cached.getMetadata().getResourceVersion(), written.replacedVersion())) {
      return written.pod();
    }
    writtenTenantPods.remove(nsName, written);
    return cached;
  }

  private void deleteCompute(Pod target, Long grace) {
    var pod =
        compute
            .pods()
            .inNamespace(target.getMetadata().getNamespace())
            .withName(target.getMetadata().getName());
    (grace == null ? pod : pod.withGracePeriod(grace)).delete();
  }

  private static Long gracePeriod(Pod last) {
    if (last == null) {
      return null;
    }
    if (last.getMetadata().getDeletionGracePeriodSeconds() != null) {
      return last.getMetadata().getDeletionGracePeriodSeconds();
    }
    return last.getSpec() == null ? null : last.getSpec().getTerminationGracePeriodSeconds();
  }

  /** Dynamic mode provisions every namespace itself; fixed mode has exactly the configured ones. */
  private boolean provisioned(String computeNs) {
    return !config.fixedNamespaces() || config.computeNamespaces().contains(computeNs);
  }

  private void ensureNamespace(String tenantNs, String computeNs) {
    if (readyNamespaces.contains(computeNs)) {
      return;
    }
    Namespace existing = compute.namespaces().withName(computeNs).get();
    if (existing == null && config.fixedNamespaces()) {
      throw new NamespaceConflict(
          "compute namespace " + computeNs + " is configured but does not exist; never created");
    }
    if (existing == null) {
      try {
        compute
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(computeNs)
                    .addToLabels(ComputeNames.TENANT, config.tenant())
                    .addToLabels(ComputeNames.MANAGED_BY, ComputeNames.managedBy(config.tenant()))
                    .addToLabels(ComputeNames.SOURCE_NAMESPACE, tenantNs)
                    .endMetadata()
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = compute.namespaces().withName(computeNs).get();
      }
    }
    if (existing != null) {
      String owner = label(existing, ComputeNames.TENANT);
      String from = label(existing, ComputeNames.SOURCE_NAMESPACE);
      if ((owner != null && !owner.equals(config.tenant()))
          || (from != null && !from.equals(tenantNs))) {
        throw new NamespaceConflict(
            "compute namespace "
                + computeNs
                + " belongs to tenant "
                + owner
                + " namespace "
                + from
                + ", not to "
                + config.tenant()
                + "/"
                + tenantNs
                + "; refusing to share it");
      }
    }
    readyNamespaces.add(computeNs);
  }

  /** The mapped compute namespace belongs to another (tenant, namespace): never shared. */
  static final class NamespaceConflict extends RuntimeException {
    NamespaceConflict(String message) {
      super(message);
    }
  }

  private void ensureDependencies(Set<DependencyRef> refs) {
    for (DependencyRef ref : refs) {
      ensureDependency(ref);
    }
  }

  /** Creates or updates the compute copy of one referenced tenant object. */
  private void ensureDependency(DependencyRef ref) {
    HasMetadata source = tenantObject(ref);
    if (source == null) {
      return; // like a kubelet, the compute pod waits for it (or does without, if optional)
    }
    HasMetadata desired = dependencies.toCompute(source).orElse(null);
    if (desired == null) {
      return;
    }
    String computeNs = desired.getMetadata().getNamespace();
    HasMetadata existing = computeCaches.object(ref.kind(), computeNs + "/" + ref.name());
    if (existing == null) {
      if (!provisioned(computeNs)) {
        return; // its pods are refused with an Event; nothing of theirs goes forward
      }
      ensureNamespace(ref.namespace(), computeNs);
      try {
        compute.resource(desired).inNamespace(computeNs).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Ours, not yet in the cache, or someone else's, which is never touched.
      }
      return;
    }
    if (DependencyTranslator.differs(existing, desired)) {
      compute
          .resource(DependencyTranslator.merge(existing, desired))
          .inNamespace(computeNs)
          .update();
    }
  }

  private void syncDependency(String refKey) {
    String[] parts = refKey.split("/", 3);
    DependencyRef ref = new DependencyRef(Kind.valueOf(parts[0]), parts[1], parts[2]);
    if (!forwarding() || !computeCaches.synced()) {
      return; // the resync on reconnection covers it
    }
    HasMetadata source = tenantObject(ref);
    String computeNs = namespaces.of(ref.namespace());
    HasMetadata existing = computeCaches.object(ref.kind(), computeNs + "/" + ref.name());
    if (source == null) {
      if (existing != null) {
        compute.resource(existing).delete();
      }
      return;
    }
    if (references.isReferenced(ref)) {
      ensureDependency(ref);
    }
  }

  private HasMetadata tenantObject(DependencyRef ref) {
    SharedIndexInformer<? extends HasMetadata> informer = tenantDeps.get(ref.kind());
    return informer.getStore().getByKey(ref.namespace() + "/" + ref.name());
  }

  @SuppressWarnings("unchecked")
  private Collection<Service> servicesIn(String ns) {
    return ((SharedIndexInformer<Service>) tenantDeps.get(Kind.SERVICE))
        .getIndexer()
        .byIndex(Cache.NAMESPACE_INDEX, ns);
  }

  // ---- Events back ---------------------------------------------------------------------------

  /** Reflects a compute Event about a forwarded pod onto the tenant pod. */
  private void reflectEvent(String eventKey) {
    Event event = computeCaches.events.get(eventKey);
    if (event == null) {
      return;
    }
    var involved = event.getInvolvedObject();
    Pod target = computeCaches.pods.get(involved.getNamespace() + "/" + involved.getName());
    if (target == null
        || (involved.getUid() != null
            && !involved.getUid().equals(target.getMetadata().getUid()))) {
      return;
    }
    Pod source =
        tenantPods
            .getStore()
            .getByKey(
                label(target, ComputeNames.SOURCE_NAMESPACE)
                    + "/"
                    + label(target, ComputeNames.SOURCE_NAME));
    if (source == null
        || !Objects.equals(source.getMetadata().getUid(), label(target, ComputeNames.SOURCE_UID))) {
      return;
    }
    recordEvent(source, event.getType(), event.getReason(), event.getMessage(), event);
  }

  private void recordEvent(Pod source, String type, String reason, String message, Event from) {
    String now = clock.instant().toString();
    String id =
        from == null ? reason + "/" + source.getMetadata().getUid() : from.getMetadata().getUid();
    String name = ComputeNames.reflectedEvent(source.getMetadata().getName(), id);
    String ns = source.getMetadata().getNamespace();
    int count = from == null || from.getCount() == null ? 1 : from.getCount();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewInvolvedObject()
            .withKind("Pod")
            .withApiVersion("v1")
            .withNamespace(ns)
            .withName(source.getMetadata().getName())
            .withUid(source.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(count)
            .withFirstTimestamp(
                from != null && from.getFirstTimestamp() != null ? from.getFirstTimestamp() : now)
            .withLastTimestamp(
                from != null && from.getLastTimestamp() != null ? from.getLastTimestamp() : now)
            .withNewSource()
            .withComponent(ComputeNames.EVENT_COMPONENT)
            .withHost(config.nodeName())
            .endSource()
            .build();
    try {
      tenant.v1().events().inNamespace(ns).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      if (from == null) {
        // The forwarder's own repeated Event: count up, as kubelets do.
        Event existing = tenant.v1().events().inNamespace(ns).withName(name).get();
        count = existing == null || existing.getCount() == null ? 1 : existing.getCount() + 1;
      }
      String patch =
          "{\"count\":"
              + count
              + ",\"lastTimestamp\":\""
              + event.getLastTimestamp()
              + "\",\"message\":"
              + PodTranslator.JSON.asJson(message)
              + "}";
      tenant
          .v1()
          .events()
          .inNamespace(ns)
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
  }

  // ---- reachability, resync, garbage collection ----------------------------------------------

  /** Whether the forwarder acts on the compute cluster now: it answers and the caches are fresh. */
  private boolean forwarding() {
    return reachability.reachable() && !stale();
  }

  private synchronized boolean stale() {
    return cachesStale;
  }

  private synchronized void markStale(Instant since) {
    if (!cachesStale || staleSince == null) {
      staleSince = since;
    }
    cachesStale = true;
  }

  /** How long forwarding has been unable to act: the longer of the outage and the stale caches. */
  private Duration pausedFor() {
    Instant since;
    synchronized (this) {
      since = cachesStale ? staleSince : null;
    }
    Duration stalled = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    Duration outage = reachability.unreachableFor();
    return stalled.compareTo(outage) >= 0 ? stalled : outage;
  }

  /**
   * An outage starts: every forwarded pod starts counting its grace time. The cluster answers
   * again: the compute caches are rebuilt from fresh lists, since watch events missed meanwhile are
   * gone, and every pod and reference is synced again. The reading may have changed again by the
   * time this runs (listeners hear changes in no guaranteed order), so it is read, not the
   * argument.
   */
  private void onReachabilityChanged(boolean ignored) {
    if (closed) {
      return;
    }
    if (reachability.reachable()) {
      rebuildComputeCachesLater();
      return;
    }
    Instant since = reachability.unreachableSince();
    markStale(since != null ? since : clock.instant());
    LOG.warn("compute cluster unreachable: forwarding paused");
    resyncAll();
  }

  /** On the forwarder's timer: a rebuild waits for lists and must not hold up the node's probe. */
  private void rebuildComputeCachesLater() {
    try {
      timer.execute(this::rebuildComputeCaches);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void rebuildComputeCaches() {
    try {
      if (closed || !reachability.reachable()) {
        return;
      }
      ComputeCaches old = computeCaches;
      ComputeCaches fresh = new ComputeCaches();
      if (!fresh.awaitSynced()) {
        // The cluster answers the node's probe but these lists or watches do not: try again,
        // without dating a new outage, so the pods' grace keeps counting from the first failure.
        fresh.stop();
        LOG.warn(
            "the compute caches did not sync; forwarding waits, next try in {} s",
            REBUILD_RETRY_MS / 1000);
        try {
          timer.schedule(this::rebuildComputeCaches, REBUILD_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // closed meanwhile
        }
        return;
      }
      readyNamespaces.clear(); // checked again: namespaces may have changed meanwhile
      synchronized (this) {
        computeCaches = fresh;
        // Still stale if the cluster went away again during the rebuild (its listener then
        // marked it so, before or after this).
        cachesStale = !reachability.reachable();
        if (!cachesStale) {
          staleSince = null;
        }
      }
      old.stop();
      LOG.info("compute cluster reachable again: resyncing");
      resyncAll();
    } catch (RuntimeException e) {
      LOG.warn("rebuilding the compute caches failed", e);
    }
  }

  /** A request got no answer: the outage starts now (unless under way) in the shared reading. */
  private void markUnreachable(String what) {
    reachability.requestFailed(what);
  }

  private void resyncAll() {
    for (Pod p : tenantPods.getStore().list()) {
      queue.add(podKey(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    }
    for (Pod p : computeCaches.pods.list()) {
      onComputeObject(p);
    }
  }

  /**
   * Deletes compute objects whose tenant source is gone; never while the compute cluster is
   * unreachable or before every cache has synced, never objects without this tenant's labels.
   */
  void collectGarbage() {
    try {
      ComputeCaches caches = computeCaches;
      if (!forwarding()
          || !caches.synced()
          || !tenantInformers.stream().allMatch(SharedIndexInformer::hasSynced)) {
        return;
      }
      List<HasMetadata> objects = new ArrayList<>(caches.pods.list());
      caches.dependencies.values().forEach(i -> objects.addAll(i.list()));
      List<HasMetadata> orphans =
          Orphans.find(
              config, tenantPods.getStore().list(), this::tenantObject, this::servicesIn, objects);
      for (HasMetadata orphan : orphans) {
        LOG.info(
            "garbage collection: deleting {} {}/{}",
            orphan.getKind(),
            orphan.getMetadata().getNamespace(),
            orphan.getMetadata().getName());
        compute.resource(orphan).delete();
      }
    } catch (RuntimeException e) {
      LOG.warn("garbage collection failed", e);
    }
  }

  private static String label(HasMetadata o, String key) {
    Map<String, String> labels = o.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  /**
   * One kind's compute informers: one across all namespaces (dynamic mode) or one per configured
   * namespace (fixed mode, where the tenant may list nothing cluster-wide).
   */
  private static final class InformerGroup<T extends HasMetadata> {
    private final Map<String, SharedIndexInformer<T>> byNamespace;
    private final SharedIndexInformer<T> any;

    InformerGroup(SharedIndexInformer<T> any, Map<String, SharedIndexInformer<T>> byNamespace) {
      this.any = any;
      this.byNamespace = byNamespace;
    }

    /** By "namespace/name"; null for an object in a namespace this group does not watch. */
    T get(String key) {
      if (any != null) {
        return any.getStore().getByKey(key);
      }
      SharedIndexInformer<T> informer = byNamespace.get(key.substring(0, key.indexOf('/')));
      return informer == null ? null : informer.getStore().getByKey(key);
    }

    List<T> list() {
      if (any != null) {
        return any.getStore().list();
      }
      List<T> all = new ArrayList<>();
      byNamespace.values().forEach(i -> all.addAll(i.getStore().list()));
      return all;
    }

    Collection<SharedIndexInformer<T>> informers() {
      return any != null ? List.of(any) : byNamespace.values();
    }
  }

  /** The compute cluster's objects this forwarder owns, as one generation of informers. */
  private final class ComputeCaches {
    final InformerGroup<Pod> pods;
    final Map<Kind, InformerGroup<? extends HasMetadata>> dependencies = new ConcurrentHashMap<>();
    final InformerGroup<Event> events;
    final List<SharedIndexInformer<?>> all = new ArrayList<>();
    private final String managedBy = ComputeNames.managedBy(config.tenant());

    ComputeCaches() {
      pods =
          group(
              compute.pods(),
              true,
              handler(PodForwarder.this::onComputeObject, PodForwarder.this::onComputePodDeleted));
      dependencies.put(
          Kind.CONFIG_MAP,
          group(compute.configMaps(), true, handler(PodForwarder.this::onComputeObject, o -> {})));
      dependencies.put(
          Kind.SECRET,
          group(compute.secrets(), true, handler(PodForwarder.this::onComputeObject, o -> {})));
      dependencies.put(
          Kind.SERVICE,
          group(compute.services(), true, handler(PodForwarder.this::onComputeObject, o -> {})));
      dependencies.put(
          Kind.PERSISTENT_VOLUME_CLAIM,
          group(
              compute.persistentVolumeClaims(),
              true,
              handler(PodForwarder.this::onComputeObject, o -> {})));
      events =
          group(compute.v1().events(), false, handler(PodForwarder.this::onComputeEvent, e -> {}));
    }

    private <T extends HasMetadata> InformerGroup<T> group(
        MixedOperation<T, ?, ?> kind, boolean ownedOnly, ResourceEventHandler<T> handler) {
      InformerGroup<T> group;
      if (config.fixedNamespaces()) {
        Map<String, SharedIndexInformer<T>> byNamespace = new ConcurrentHashMap<>();
        for (String ns : config.computeNamespaces()) {
          byNamespace.put(ns, informer(kind.inNamespace(ns), ownedOnly));
        }
        group = new InformerGroup<>(null, byNamespace);
      } else {
        group = new InformerGroup<>(informer(kind.inAnyNamespace(), ownedOnly), Map.of());
      }
      for (SharedIndexInformer<T> informer : group.informers()) {
        informer.addEventHandler(handler);
        all.add(informer);
      }
      return group;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(
        FilterWatchListDeletable<T, ?, ?> objects, boolean ownedOnly) {
      return (ownedOnly ? objects.withLabel(ComputeNames.MANAGED_BY, managedBy) : objects)
          .runnableInformer(0);
    }

    boolean awaitSynced() {
      try {
        for (SharedIndexInformer<?> i : all) {
          i.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return true;
      } catch (Exception e) {
        LOG.warn("compute caches did not sync: {}", e.toString());
        return false;
      }
    }

    boolean synced() {
      return all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    HasMetadata object(Kind kind, String key) {
      return dependencies.get(kind).get(key);
    }

    void stop() {
      all.forEach(SharedIndexInformer::stop);
    }
  }
}
