package dev.strata.scheduler.extender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Feasibility;
import dev.strata.scheduler.core.FreeResources;
import dev.strata.scheduler.core.Gang;
import dev.strata.scheduler.core.GpuChoice;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.Scheduler;
import dev.strata.scheduler.core.SchedulingDecision;
import dev.strata.scheduler.core.ScoringPolicy;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.core.TopologyMode;
import dev.strata.scheduler.extender.ExtenderWire.BindingArgs;
import dev.strata.scheduler.extender.ExtenderWire.ExtenderArgs;
import dev.strata.scheduler.extender.ExtenderWire.FilterResult;
import dev.strata.scheduler.extender.ExtenderWire.HostPriority;
import dev.strata.scheduler.extender.ExtenderWire.PreemptionArgs;
import dev.strata.scheduler.extender.ExtenderWire.Victims;
import dev.strata.scheduler.kube.GangKey;
import dev.strata.scheduler.kube.GangKeys;
import dev.strata.scheduler.kube.GangTopologies;
import dev.strata.scheduler.kube.GpuIndices;
import dev.strata.scheduler.kube.PodRequests;
import dev.strata.scheduler.kube.Translation;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender's four verbs, from wire arguments to wire results, over a {@link ClusterView} and
 * the core's {@link Scheduler}. The only side effects are the {@link PodBinder} calls of bind and
 * preempt; everything else is a decision on a {@link Snapshot}.
 *
 * <ul>
 *   <li><b>filter</b>: decides for the pod's whole gang. A pod alone passes every node it fits; a
 *       gang member passes only the node of the gang's plan, so kube-scheduler cannot pick a node
 *       that would leave the rest of the gang without room. A pod that cannot be placed fails every
 *       node with the core's explanation.
 *   <li><b>prioritize</b>: 0..10; the planned node 10, other feasible nodes of a pod alone the
 *       scoring policy's ranking scaled to 0..9.
 *   <li><b>bind</b>: commits the gang's plan and binds every member, recording {@code
 *       strata.dev/gpu-indices} first; nothing is bound unless every member is still there.
 *   <li><b>preempt</b>: keeps only the node where the core's decision places the pod after
 *       preemption, with the core's victims there (whole lower-tier gangs), and evicts those
 *       victims' gang-mates on other nodes itself.
 * </ul>
 *
 * <p>Decisions are made on {@link Reservations} kept between requests (the snapshot's bound pods
 * and every plan, moved forward pod event by pod event) with the gang's {@code strata.dev/topology}
 * mode.
 *
 * <p>Thread-safe: decisions and every change to the kept state run under one lock (the core's
 * {@link Placer} is not thread-safe); binds are serialized by a second lock and make their API
 * calls outside the first.
 */
public final class ExtenderService {

  private static final Logger LOG = LoggerFactory.getLogger(ExtenderService.class);

  /** kube-scheduler's {@code MaxExtenderPriority}. */
  static final int MAX_SCORE = 10;

  private final ClusterView view;
  private final ScoringPolicy policy;
  private final List<TenantQuota> quotas;
  private final PodBinder binder;
  private final Clock clock;
  private final Duration planTtl;

  private final Object lock = new Object();
  private final ReentrantLock bindLock = new ReentrantLock();
  private Snapshot snapshot;
  private Scheduler scheduler;
  private final Map<String, GangPlan> plans = new HashMap<>();
  private long plansVersion;

  public ExtenderService(
      ClusterView view,
      ScoringPolicy policy,
      List<TenantQuota> quotas,
      PodBinder binder,
      Clock clock,
      Duration planTtl) {
    this.view = view;
    this.policy = policy;
    this.quotas = List.copyOf(quotas);
    this.binder = binder;
    this.clock = clock;
    this.planTtl = planTtl;
  }

  // ---------------------------------------------------------------- filter

  FilterResult filter(ExtenderArgs args) {
    List<String> names = candidateNames(args);
    Map<String, String> failed = new LinkedHashMap<>();
    Map<String, String> unresolvable = new LinkedHashMap<>();
    // By position in the request: no set of thousands of names to build and look up.
    boolean[] passed = new boolean[names.size()];
    synchronized (lock) {
      Snapshot s = snapshot();
      try {
        Outcome outcome = decide(args.pod(), s);
        filterNodes(args.pod(), names, s, outcome, passed, failed, unresolvable);
      } finally {
        restore();
      }
    }
    if (args.nodeNames() != null) {
      List<String> keep = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        if (passed[i]) {
          keep.add(names.get(i));
        }
      }
      return new FilterResult(keep, null, failed, unresolvable, "");
    }
    List<JsonNode> keep = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (passed[i]) {
        keep.add(args.nodes().get(i));
      }
    }
    return new FilterResult(null, keep, failed, unresolvable, "");
  }

  private static void filterNodes(
      Pod pod,
      List<String> names,
      Snapshot s,
      Outcome outcome,
      boolean[] passed,
      Map<String, String> failed,
      Map<String, String> unresolvable) {
    // A reason per kind of shortfall, not per node: thousands of nodes share a few.
    Map<Integer, String> texts = new HashMap<>();
    String podKey = ClusterView.key(pod);
    ClusterState free = outcome instanceof Planned p && p.plan.alone() ? p.free : null;
    int[] indices = s.indices(names);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int index = indices[i];
      if (index < 0) {
        String excluded = s.excludedNodes.get(name);
        unresolvable.put(
            name,
            excluded != null
                ? "Strata: " + excluded
                : "Strata: node " + name + " is not in the extender's node cache");
        continue;
      }
      if (outcome instanceof Refused r) {
        unresolvable.put(name, r.reason);
      } else if (outcome instanceof NeedsPreemption n) {
        if (n.nodes.contains(name)) {
          failed.put(name, n.reason);
        } else {
          unresolvable.put(name, n.reason);
        }
      } else if (free != null) {
        PodRequest req = ((Planned) outcome).plan.members.get(0).request();
        int reasons = Feasibility.reasons(req, free.node(index));
        if (reasons == 0) {
          passed[i] = true;
        } else if (Feasibility.reasons(req, s.empty().node(index)) != 0) {
          unresolvable.put(name, texts.computeIfAbsent(reasons, r -> NodeReasons.describe(req, r)));
        } else {
          failed.put(name, texts.computeIfAbsent(reasons, r -> NodeReasons.describe(req, r)));
        }
      } else {
        GangPlan plan = ((Planned) outcome).plan;
        GangPlan.Member m = plan.member(podKey);
        if (m.node().equals(name)) {
          passed[i] = true;
        } else {
          unresolvable.put(
              name,
              "Strata: gang "
                  + plan.gang
                  + " is placed whole; its plan puts this pod on node "
                  + m.node());
        }
      }
    }
  }

  // ---------------------------------------------------------------- prioritize

  List<HostPriority> prioritize(ExtenderArgs args) {
    List<String> names = candidateNames(args);
    long[] scores = new long[names.size()];
    synchronized (lock) {
      Snapshot s = snapshot();
      try {
        Outcome outcome = decide(args.pod(), s);
        if (outcome instanceof Planned p) {
          GangPlan.Member own = p.plan.member(ClusterView.key(args.pod()));
          if (p.plan.alone()) {
            policyScores(own.request(), names, s, p.free, scores);
          }
          for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(own.node())) {
              scores[i] = MAX_SCORE;
            }
          }
        }
      } finally {
        restore();
      }
    }
    List<HostPriority> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      out.add(new HostPriority(names.get(i), scores[i]));
    }
    return out;
  }

  /**
   * The policy's ranking of the feasible nodes among {@code names}, scaled to 0..9, into {@code
   * scores} by position; the others are left alone.
   */
  private void policyScores(
      PodRequest req, List<String> names, Snapshot s, ClusterState free, long[] scores) {
    int[] feasible = new int[names.size()];
    int count = 0;
    long[] raw = new long[names.size()];
    Map<FreeResources, Long> byState = policy.scoresOnlyFreeResources() ? new HashMap<>() : null;
    int[] indices = s.indices(names);
    for (int i = 0; i < names.size(); i++) {
      int index = indices[i];
      if (index >= 0 && Feasibility.fits(req, free.node(index))) {
        NodeState node = free.node(index);
        // Most nodes of a large cluster are in one of a few states; score each state once.
        raw[count] =
            byState == null
                ? policy.score(req, node)
                : byState.computeIfAbsent(FreeResources.of(node), k -> policy.score(req, node));
        feasible[count++] = i;
      }
    }
    policy.normalize(raw, count);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, raw[i]);
      max = Math.max(max, raw[i]);
    }
    for (int i = 0; i < count; i++) {
      scores[feasible[i]] =
          max == min ? MAX_SCORE - 1 : Math.round((raw[i] - min) * (MAX_SCORE - 1.0) / (max - min));
    }
  }

  // ---------------------------------------------------------------- bind

  /** The {@code ExtenderBindingResult.Error}: empty when the pod is bound. */
  String bind(BindingArgs args) {
    bindLock.lock();
    try {
      List<GangPlan.Member> toBind;
      GangPlan plan;
      String podKey = args.podNamespace() + "/" + args.podName();
      synchronized (lock) {
        try {
          Pod pod = view.pod(args.podNamespace(), args.podName());
          if (pod == null) {
            return "Strata: pod "
                + podKey
                + " is not known to the extender (not seen by its informer yet?)";
          }
          String uid = pod.getMetadata().getUid();
          if (args.podUid() != null
              && !args.podUid().isEmpty()
              && uid != null
              && !uid.equals(args.podUid())) {
            return "Strata: pod "
                + podKey
                + " has UID "
                + uid
                + ", not "
                + args.podUid()
                + " (it was replaced)";
          }
          String boundTo = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
          if (boundTo != null && !boundTo.isEmpty()) {
            return boundTo.equals(args.node())
                ? ""
                : "Strata: pod " + podKey + " is already bound to node " + boundTo;
          }
          Snapshot s = snapshot();
          Outcome outcome = decide(pod, s);
          if (!(outcome instanceof Planned planned)) {
            return "Strata: pod "
                + podKey
                + " is not in a placement plan: "
                + reason(outcome).replaceFirst("^Strata: ", "");
          }
          plan = planned.plan;
          GangPlan.Member own = plan.member(podKey);
          if (plan.boundByUs.contains(podKey)) {
            return own.node().equals(args.node())
                ? ""
                : "Strata: pod " + podKey + " is already bound to node " + own.node();
          }
          if (!own.node().equals(args.node())) {
            if (!plan.alone() || plan.committed) {
              return "Strata: gang "
                  + plan.gang
                  + " is placed whole and its plan puts pod "
                  + podKey
                  + " on node "
                  + own.node()
                  + ", not "
                  + args.node();
            }
            String repinned = repin(plan, own, args.node(), s, planned.free);
            if (repinned != null) {
              return repinned;
            }
            plan = plans.get(plan.gang);
          }
          // Every member must still be there before anything is bound: a gang is never left
          // partly bound because a member vanished.
          toBind = new ArrayList<>();
          for (GangPlan.Member m : plan.members) {
            String[] nsName = m.podKey().split("/", 2);
            Pod member = view.pod(nsName[0], nsName[1]);
            if (member == null
                || (m.uid() != null && !m.uid().equals(member.getMetadata().getUid()))) {
              dropPlan(plan.gang);
              return "Strata: gang "
                  + plan.gang
                  + " lost member "
                  + m.podKey()
                  + " before binding; nothing was bound";
            }
            String memberNode = member.getSpec() == null ? null : member.getSpec().getNodeName();
            if ((memberNode == null || memberNode.isEmpty())
                && !plan.boundByUs.contains(m.podKey())) {
              toBind.add(m);
            }
          }
          plan.committed = true;
        } finally {
          restore();
        }
      }
      String ownError = "";
      // The asked-for pod first: its outcome is the answer; the others follow the committed plan
      // and are retried when kube-scheduler asks to bind them.
      toBind.sort(
          (a, b) -> Boolean.compare(!a.podKey().equals(podKey), !b.podKey().equals(podKey)));
      for (GangPlan.Member m : toBind) {
        String[] nsName = m.podKey().split("/", 2);
        try {
          binder.bind(nsName[0], nsName[1], m.uid(), m.node(), GpuIndices.format(m.gpus()));
          synchronized (lock) {
            plan.boundByUs.add(m.podKey());
          }
        } catch (PodBinder.BindException e) {
          if (m.podKey().equals(podKey)) {
            ownError =
                "Strata: binding pod "
                    + podKey
                    + " to node "
                    + m.node()
                    + " failed: "
                    + e.getMessage();
            break;
          }
          LOG.warn(
              "gang {}: binding member {} failed, retried on its own bind: {}",
              plan.gang,
              m.podKey(),
              e.getMessage());
        }
      }
      return ownError;
    } finally {
      bindLock.unlock();
    }
  }

  /** Moves a lone pod's plan to the node kube-scheduler chose; a reason when it does not fit. */
  private String repin(
      GangPlan plan, GangPlan.Member own, String node, Snapshot s, ClusterState free) {
    Integer index = s.nodeIndex.get(node);
    if (index == null) {
      return "Strata: node "
          + node
          + " is not usable: "
          + s.excludedNodes.getOrDefault(node, "not in the extender's node cache");
    }
    NodeState state = free.node(index);
    int reasons = Feasibility.reasons(own.request(), state);
    if (reasons != 0) {
      return "Strata: pod "
          + own.podKey()
          + " does not fit node "
          + node
          + ": "
          + NodeReasons.describe(own.request(), reasons).substring("Strata: ".length());
    }
    int[] gpus =
        !own.request().needsGpu()
            ? new int[0]
            : own.request().isGpuShare()
                ? new int[] {policy.shareGpu(own.request(), state)}
                : GpuChoice.whole(own.request(), state);
    GangPlan moved =
        new GangPlan(
            plan.gang,
            plan.tenant,
            plan.tier,
            List.of(new GangPlan.Member(own.podKey(), own.uid(), own.request(), node, gpus)),
            plan.snapshotVersion,
            plan.created);
    putPlan(moved);
    return null;
  }

  // ---------------------------------------------------------------- preempt

  Map<String, Victims> preempt(PreemptionArgs args) {
    List<String[]> evictElsewhere = new ArrayList<>();
    Map<String, Victims> result = new LinkedHashMap<>();
    synchronized (lock) {
      Snapshot s = snapshot();
      Outcome outcome;
      try {
        outcome = decide(args.pod(), s);
      } finally {
        restore();
      }
      if (!(outcome instanceof NeedsPreemption n)) {
        // Strata places the pod without preemption, or not even with it: no node qualifies.
        return result;
      }
      String ownNode = n.nodeOf.get(ClusterView.key(args.pod()));
      Victims offered = args.victimsByNode().get(ownNode);
      if (offered == null) {
        return result;
      }
      List<String> uids = new ArrayList<>();
      for (RunningPod victim : n.admit.victims()) {
        Pod pod = s.podsByKey.get(keyOf(s, victim));
        if (pod == null) {
          continue;
        }
        if (victim.placement().nodeName().equals(ownNode)) {
          uids.add(pod.getMetadata().getUid());
        } else {
          evictElsewhere.add(
              new String[] {
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid()
              });
        }
      }
      result.put(ownNode, new Victims(uids, offered.numPdbViolations()));
    }
    for (String[] pod : evictElsewhere) {
      try {
        binder.evict(pod[0], pod[1], pod[2]);
      } catch (PodBinder.BindException e) {
        LOG.warn(
            "evicting {}/{} with its preempted gang failed: {}", pod[0], pod[1], e.getMessage());
      }
    }
    return result;
  }

  private static String keyOf(Snapshot s, RunningPod running) {
    for (Map.Entry<String, RunningPod> e : s.runningByKey.entrySet()) {
      if (e.getValue() == running) {
        return e.getKey();
      }
    }
    return "";
  }

  // ---------------------------------------------------------------- deciding

  /** What the core says about a pod's gang. */
  private sealed interface Outcome permits Refused, NeedsPreemption, Planned {}

  /** The pod cannot be placed now; the reason is for the user. */
  private record Refused(String reason) implements Outcome {}

  /** The gang fits once the core's victims are gone; {@code nodes} are where its members go. */
  private record NeedsPreemption(
      String reason, Set<String> nodes, Map<String, String> nodeOf, SchedulingDecision.Admit admit)
      implements Outcome {}

  /** The gang is planned; {@code free} is the cluster with every other plan taken. */
  private record Planned(GangPlan plan, ClusterState free) implements Outcome {}

  private static String reason(Outcome outcome) {
    if (outcome instanceof Refused r) {
      return r.reason;
    }
    return outcome instanceof NeedsPreemption n ? n.reason : "planned";
  }

  private Outcome decide(Pod pod, Snapshot s) {
    Translation<PodRequest> request = PodRequests.from(pod);
    Translation<GangKey> key = GangKeys.of(pod);
    if (!request.isOk()) {
      return new Refused("Strata: " + request.reason());
    }
    if (!key.isOk()) {
      return new Refused("Strata: " + key.reason());
    }
    GangKey gang = key.value();
    String podKey = ClusterView.key(pod);
    Reservations reserved = reservations(s);
    // The gang's own plan is withdrawn while it is decided again; restore() puts back whatever
    // plan it has then.
    reserved.release(gang.gangName());
    withdrawn = gang.gangName();
    GangPlan existing = plans.get(gang.gangName());
    if (existing != null
        && existing.member(podKey) != null
        && (existing.committed
            || (existing.snapshotVersion == s.version && existing.plansVersion == plansVersion))) {
      return new Planned(existing, reserved.cluster);
    }

    List<Pod> members = s.pending(gang.gangName());
    if (members.stream().noneMatch(p -> ClusterView.key(p).equals(podKey))) {
      members.add(pod);
      members.sort(java.util.Comparator.comparing(p -> p.getMetadata().getName()));
    }
    int bound = s.boundByGang.getOrDefault(gang.gangName(), 0);
    if (gang.minMember() > members.size() + bound) {
      return new Refused(
          "Strata: gang "
              + gang.gangName()
              + " waits for its members: "
              + (members.size() + bound)
              + " of "
              + gang.minMember()
              + " pods exist, and a gang starts whole or not at all");
    }
    List<PodRequest> requests = new ArrayList<>();
    List<GangPlan.Member> skeleton = new ArrayList<>();
    for (Pod member : members) {
      Translation<PodRequest> r =
          ClusterView.key(member).equals(podKey) ? request : PodRequests.from(member);
      if (!r.isOk()) {
        return new Refused("Strata: gang " + gang.gangName() + " cannot be placed: " + r.reason());
      }
      requests.add(r.value());
      skeleton.add(
          new GangPlan.Member(
              ClusterView.key(member), member.getMetadata().getUid(), r.value(), null, null));
    }
    // Members already bound (say, before the extender restarted) run; the rest is its own gang.
    String coreName = bound == 0 ? gang.gangName() : gang.gangName() + "/remaining";
    Translation<TopologyMode> topology = GangTopologies.of(members);
    if (!topology.isOk()) {
      return new Refused(
          "Strata: gang " + gang.gangName() + " cannot be placed: " + topology.reason());
    }
    Gang toPlace =
        new Gang(coreName, gang.tenant(), gang.tier(), requests).withTopology(topology.value());
    SchedulingDecision decision;
    try {
      decision = scheduler(s).decide(reserved.cluster, reserved.running, toPlace);
    } catch (IllegalArgumentException e) {
      return new Refused("Strata: " + e.getMessage());
    }
    if (decision instanceof SchedulingDecision.Pending pending) {
      return new Refused(pending.reason());
    }
    SchedulingDecision.Admit admit = (SchedulingDecision.Admit) decision;
    List<GangPlan.Member> placed = new ArrayList<>();
    Map<String, String> nodeOf = new HashMap<>();
    for (int i = 0; i < skeleton.size(); i++) {
      Placement p = admit.placements().get(i);
      GangPlan.Member m = skeleton.get(i);
      placed.add(
          new GangPlan.Member(m.podKey(), m.uid(), m.request(), p.nodeName(), p.gpuIndices()));
      nodeOf.put(m.podKey(), p.nodeName());
    }
    if (!admit.victims().isEmpty()) {
      return new NeedsPreemption(
          "Strata: "
              + gang.tier()
              + " gang "
              + gang.gangName()
              + " fits once LOW gang"
              + (admit.victimGangs().size() == 1 ? " " : "s ")
              + String.join(", ", admit.victimGangs())
              + " "
              + (admit.victimGangs().size() == 1 ? "is" : "are")
              + " preempted",
          new HashSet<>(nodeOf.values()),
          nodeOf,
          admit);
    }
    GangPlan plan =
        new GangPlan(
            gang.gangName(), gang.tenant(), gang.tier(), placed, s.version, clock.instant());
    putPlan(plan);
    return new Planned(plan, reserved.cluster);
  }

  private Scheduler scheduler(Snapshot s) {
    if (scheduler == null) {
      scheduler = new Scheduler(new Placer(policy, TieBreak.nodeOrder(s.nodes.size())), quotas);
    }
    return scheduler;
  }

  /** The bound pods and every plan; the gang being decided has its plan withdrawn. */
  private Reservations reserved;

  /**
   * The gang whose plan {@link #decide} withdrew from {@link #reserved}, until {@link #restore}.
   */
  private String withdrawn;

  /**
   * {@link #reserved}, built anew when the snapshot changed (dropping plans that are done, expired
   * or no longer fit) and otherwise only rid of expired plans.
   */
  private Reservations reservations(Snapshot s) {
    if (reserved == null || reserved.snapshotVersion != s.version) {
      reserved = new Reservations(s);
      adoptPlans(s);
      return reserved;
    }
    boolean changed = false;
    Iterator<GangPlan> it = plans.values().iterator();
    while (it.hasNext()) {
      GangPlan plan = it.next();
      if (expired(plan)) {
        reserved.release(plan.gang);
        it.remove();
        changed = true;
      }
    }
    if (changed) {
      plansVersion++;
    }
    return reserved;
  }

  /**
   * Takes every plan into a {@link #reserved} just built, dropping the plans that expired, are done
   * or no longer fit (unless committed: their binds are under way).
   */
  private void adoptPlans(Snapshot s) {
    boolean changed = false;
    Iterator<GangPlan> it = plans.values().iterator();
    while (it.hasNext()) {
      GangPlan plan = it.next();
      if (expired(plan) || allRunning(plan, s) || (!reserved.take(plan) && !plan.committed)) {
        it.remove();
        changed = true;
      }
    }
    if (changed) {
      plansVersion++;
    }
  }

  private boolean expired(GangPlan plan) {
    return !plan.committed && clock.instant().isAfter(plan.created.plus(planTtl));
  }

  /** Puts the withdrawn gang's plan, as it is now, back into {@link #reserved}. */
  private void restore() {
    if (withdrawn == null) {
      return;
    }
    GangPlan plan = plans.get(withdrawn);
    withdrawn = null;
    if (plan != null && !reserved.take(plan) && !plan.committed) {
      // Decided on this very state, so it fits; a plan that does not is dropped, never half held.
      dropPlan(plan.gang);
    }
  }

  private void putPlan(GangPlan plan) {
    plans.put(plan.gang, plan);
    plansVersion++;
    plan.plansVersion = plansVersion;
  }

  private void dropPlan(String gang) {
    if (plans.remove(gang) != null) {
      plansVersion++;
    }
  }

  /**
   * How often {@link #refresh} should run. Running times (which rank preemption victims by the work
   * they would lose) are measured when a pod's change is applied, so this bounds how stale they
   * get.
   */
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(60);

  /** How often the snapshot was read from the whole view, and moved forward; for tests. */
  private long fullReads;

  private long movesForward;

  long fullReads() {
    synchronized (lock) {
      return fullReads;
    }
  }

  long movesForward() {
    synchronized (lock) {
      return movesForward;
    }
  }

  private Snapshot snapshot() {
    long version = view.version();
    if (snapshot != null && snapshot.version == version) {
      return snapshot;
    }
    if (snapshot != null) {
      ClusterView.PodChanges changes = view.podChangesSince(snapshot.version);
      if (changes != null && moveForward(changes)) {
        movesForward++;
        return snapshot;
      }
    }
    Snapshot fresh = new Snapshot(view.contents(), clock.instant(), snapshot);
    fullReads++;
    if (snapshot == null
        || fresh.nodes.size() != snapshot.nodes.size()
        || !fresh.nodes.equals(snapshot.nodes)) {
      scheduler = null;
    }
    snapshot = fresh;
    return snapshot;
  }

  /**
   * Reads the snapshot from the whole view again, off the request path: the reading is done without
   * the service's lock, then brought up to date with the pod changes since and swapped in, with
   * reservations built beside it and the plans taken into them. Does nothing when a node changed
   * meanwhile (the next request reads everything anyway). Keeps running times fresh; see {@link
   * #REFRESH_INTERVAL}.
   */
  public void refresh() {
    Snapshot base;
    synchronized (lock) {
      base = snapshot;
    }
    if (base == null) {
      return;
    }
    ClusterView.Contents contents = view.contents();
    if (contents.nodesVersion() != base.nodesVersion) {
      return;
    }
    Snapshot fresh = new Snapshot(contents, clock.instant(), base);
    // Without plans yet: they are taken under the lock, once the snapshot is up to date.
    Reservations bare = new Reservations(fresh);
    synchronized (lock) {
      if (snapshot == null || snapshot.nodesVersion != fresh.nodesVersion) {
        return;
      }
      ClusterView.PodChanges changes = view.podChangesSince(fresh.version);
      if (changes == null) {
        return;
      }
      CatchUp caught = catchUp(fresh, bare, changes);
      if (caught == CatchUp.NEEDS_WHOLE_READING) {
        return;
      }
      snapshot = fresh;
      reserved = caught == CatchUp.RESERVATIONS_FOLLOWED ? bare : null;
      if (reserved != null) {
        adoptPlans(fresh);
      }
      fullReads++;
    }
  }

  /**
   * Applies the pods that changed to the snapshot and, where it can, to {@link #reserved}; where it
   * cannot tell what a rebuild would do (a pod does not fit beside the plans, a planned gang's
   * running member stops), it leaves {@link #reserved} to be built anew. False when the snapshot
   * itself is to be read whole again (a change on an overcommitted node).
   */
  private boolean moveForward(ClusterView.PodChanges changes) {
    boolean current = reserved != null && reserved.snapshotVersion == snapshot.version;
    CatchUp caught = catchUp(snapshot, current ? reserved : null, changes);
    if (caught != CatchUp.RESERVATIONS_FOLLOWED) {
      reserved = null;
      return caught == CatchUp.RESERVATIONS_LOST;
    }
    boolean done = false;
    Iterator<GangPlan> it = plans.values().iterator();
    while (it.hasNext()) {
      GangPlan plan = it.next();
      if (allRunning(plan, snapshot)) {
        reserved.release(plan.gang);
        it.remove();
        done = true;
      }
    }
    if (done) {
      plansVersion++;
    }
    return true;
  }

  /** How far {@link #catchUp} got. */
  private enum CatchUp {
    /** A change's effect depends on the order pods are read in: read the whole view. */
    NEEDS_WHOLE_READING,
    /** The snapshot and the reservations are up to date. */
    RESERVATIONS_FOLLOWED,
    /** The snapshot is up to date; the reservations are to be built anew (or there were none). */
    RESERVATIONS_LOST
  }

  /**
   * Applies the pod changes to {@code s} and, while it can, to {@code r} (null: none to follow),
   * and moves both to the changes' version.
   */
  private CatchUp catchUp(Snapshot s, Reservations r, ClusterView.PodChanges changes) {
    Instant now = clock.instant();
    boolean keep = r != null;
    for (Map.Entry<String, Pod> change : changes.pods().entrySet()) {
      Snapshot.Change c = s.apply(change.getKey(), change.getValue(), now);
      if (c.ordered()) {
        return CatchUp.NEEDS_WHOLE_READING;
      }
      keep = keep && follow(r, change.getKey(), c);
    }
    s.version = changes.version();
    if (!keep) {
      return CatchUp.RESERVATIONS_LOST;
    }
    r.snapshotVersion = s.version;
    return CatchUp.RESERVATIONS_FOLLOWED;
  }

  /**
   * Applies one pod's change to {@code r}; false when only building it anew tells what it should
   * hold (a pod does not fit beside the plans, a planned gang's running member stopped).
   */
  private boolean follow(Reservations r, String podKey, Snapshot.Change c) {
    if (c.stopped() == null && c.started() == null) {
      return true;
    }
    if (c.stopped() != null
        && c.started() != null
        && c.stopped().placement().equals(c.started().placement())) {
      // Still running where it ran (a status update): only the instance changes.
      r.replace(c.stopped(), c.started());
      return true;
    }
    if (c.stopped() != null) {
      r.stopped(c.stopped());
      if (plans.containsKey(c.stopped().gang())) {
        return false;
      }
    }
    return c.started() == null || r.started(podKey, c.started());
  }

  private static boolean allRunning(GangPlan plan, Snapshot s) {
    for (GangPlan.Member m : plan.members) {
      if (!s.runningByKey.containsKey(m.podKey())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> candidateNames(ExtenderArgs args) {
    if (args.nodeNames() != null) {
      return args.nodeNames();
    }
    List<String> names = new ArrayList<>(args.nodes().size());
    for (JsonNode node : args.nodes()) {
      names.add(node.get("metadata").get("name").asText());
    }
    return names;
  }

  /** For tests: the node each member of the pod's gang is planned on, empty when none. */
  Map<String, String> plannedNodes(String gangName) {
    synchronized (lock) {
      GangPlan plan = plans.get(gangName);
      Map<String, String> out = new TreeMap<>();
      if (plan != null) {
        plan.members.forEach(m -> out.put(m.podKey(), m.node()));
      }
      return out;
    }
  }

  /** For tests: the GPUs each member of the gang is planned on, as recorded at bind. */
  Map<String, String> plannedGpus(String gangName) {
    synchronized (lock) {
      GangPlan plan = plans.get(gangName);
      Map<String, String> out = new TreeMap<>();
      if (plan != null) {
        plan.members.forEach(m -> out.put(m.podKey(), GpuIndices.format(m.gpus())));
      }
      return out;
    }
  }

  /**
   * For tests: whether the kept snapshot and reservations equal ones read afresh from the whole
   * view with the current plans taken: the same running pods where they run, pending pods, bound
   * counts and free resources node by node; the first difference when they do not.
   */
  String reservationsMismatch() {
    synchronized (lock) {
      Snapshot s = snapshot();
      Reservations kept = reservations(s);
      Snapshot read = new Snapshot(view.contents(), clock.instant());
      Reservations fresh = new Reservations(read);
      for (GangPlan plan : plans.values()) {
        fresh.take(plan);
      }
      List<String> differences = new ArrayList<>();
      compare("running pods", describe(s.runningByKey), describe(read.runningByKey), differences);
      compare("pending pods", pendingKeys(s), pendingKeys(read), differences);
      compare("bound members", s.boundByGang, read.boundByGang, differences);
      compare("reserved pods", describe(kept.running), describe(fresh.running), differences);
      for (int i = 0; i < read.state.size(); i++) {
        compare(
            "node " + i, s.state.node(i).toString(), read.state.node(i).toString(), differences);
        compare(
            "reserved node " + i,
            kept.cluster.node(i).toString(),
            fresh.cluster.node(i).toString(),
            differences);
      }
      return differences.isEmpty() ? null : differences.get(0);
    }
  }

  private static void compare(String what, Object kept, Object fresh, List<String> differences) {
    if (!kept.equals(fresh)) {
      differences.add(what + ": kept " + kept + ", fresh " + fresh);
    }
  }

  private static Map<String, String> describe(Map<String, RunningPod> pods) {
    Map<String, String> out = new TreeMap<>();
    pods.forEach((key, pod) -> out.put(key, pod.gang() + " " + pod.tier() + " " + pod.placement()));
    return out;
  }

  private static List<String> describe(dev.strata.scheduler.core.RunningPods pods) {
    List<String> out = new ArrayList<>();
    for (RunningPod pod : pods.pods()) {
      out.add(pod.gang() + " " + pod.tenant() + " " + pod.tier() + " " + pod.placement());
    }
    out.sort(null);
    return out;
  }

  private static Map<String, List<String>> pendingKeys(Snapshot s) {
    Map<String, List<String>> out = new TreeMap<>();
    s.pendingByGang.forEach(
        (gang, pods) -> {
          List<String> keys = new ArrayList<>();
          pods.forEach(p -> keys.add(ClusterView.key(p)));
          keys.sort(null);
          out.put(gang, keys);
        });
    return out;
  }
}
