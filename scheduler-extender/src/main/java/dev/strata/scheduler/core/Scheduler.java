package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a gang starts, given the nodes, what runs on them and the tenants' quotas, and
 * nothing else: no API calls, no clock, and the inputs are left as they were, so the same input
 * always gives the same decision.
 *
 * <ul>
 *   <li>{@link Tier#HIGH} work is admitted only within its tenant's {@link TenantQuota}, counting
 *       the tenant's running HIGH work; if it does not fit on idle capacity, whole LOW gangs are
 *       preempted to make room.
 *   <li>{@link Tier#LOW} work ignores quotas and takes only idle capacity; it never preempts.
 *   <li>Nothing preempts work of its own tier or higher.
 * </ul>
 *
 * <p>Victims are chosen to lose the least work, a gang's cost being its GPU milli × running
 * seconds. With up to {@link #EXACT_SEARCH_LIMIT} preemptible gangs every set of them is tried on a
 * trial copy, cheapest first, and the first that lets the gang fit wins (ties: fewer GPU milli,
 * fewer gangs, name order). With more, candidates are evicted cheapest first until the gang fits,
 * and then every victim it turns out not to need, costliest first, is given its place back, in
 * passes until none can be: no victim can be spared, though a cheaper set may exist. Either way the
 * result is deterministic.
 *
 * <p>Not thread-safe, as the {@link Placer} it uses is not.
 */
public final class Scheduler {

  private final Placer placer;
  private final Map<String, TenantQuota> quotas;
  private final int exactSearchLimit;

  /**
   * Up to this many preemptible gangs, every set of them is tried and the cheapest that frees
   * enough wins; beyond it, 2^n trials cost too much and the greedy search is used.
   */
  public static final int EXACT_SEARCH_LIMIT = 10;

  public Scheduler(Placer placer, Collection<TenantQuota> quotas) {
    this(placer, quotas, EXACT_SEARCH_LIMIT);
  }

  /** With another limit on the exact victim search; tests use 0 to exercise the greedy one. */
  Scheduler(Placer placer, Collection<TenantQuota> quotas, int exactSearchLimit) {
    this.placer = placer;
    this.exactSearchLimit = exactSearchLimit;
    Map<String, TenantQuota> byTenant = new HashMap<>();
    for (TenantQuota quota : quotas) {
      if (byTenant.putIfAbsent(quota.tenant(), quota) != null) {
        throw new IllegalArgumentException("two quotas for tenant " + quota.tenant());
      }
    }
    this.quotas = byTenant;
  }

  /** The tenant's quota; a tenant without one is guaranteed nothing. */
  public TenantQuota quota(String tenant) {
    return quotas.getOrDefault(tenant, new TenantQuota(tenant, 0));
  }

  /**
   * Decides for {@code request} on the cluster of {@code nodes} running {@code running}. The
   * placer's {@link TieBreak} must cover exactly these nodes, and placements refer to nodes by
   * their position in {@code nodes}.
   *
   * @throws IllegalArgumentException when the running pods overcommit a node or a running gang
   *     already has the request's name
   */
  public SchedulingDecision decide(List<NodeSpec> nodes, List<RunningPod> running, Gang request) {
    ClusterState cluster = new ClusterState(nodes);
    for (RunningPod pod : running) {
      try {
        cluster.bind(pod.placement());
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("running pods overcommit: " + e.getMessage(), e);
      }
    }
    return decide(cluster, running, request);
  }

  /**
   * As {@link #decide(List, List, Gang)} on a cluster the caller keeps up to date, binding what it
   * admits and unbinding what ends, instead of one rebuilt from every running pod per decision:
   * what a scheduler of thousands of nodes needs. {@code cluster} must hold exactly {@code
   * running}; it is changed during the call and restored before it returns.
   *
   * @throws IllegalArgumentException when a running gang already has the request's name
   */
  public SchedulingDecision decide(ClusterState cluster, List<RunningPod> running, Gang request) {
    return decide(cluster, RunningPods.of(cluster, running), request);
  }

  /**
   * As {@link #decide(ClusterState, List, Gang)} with the running pods indexed, as a scheduler
   * keeps them beside its cluster: then a decision that admits on idle capacity does not go through
   * every running pod. {@code running} must be the pods bound on {@code cluster}; it is left as it
   * was.
   *
   * @throws IllegalArgumentException when a running gang already has the request's name
   */
  public SchedulingDecision decide(ClusterState cluster, RunningPods running, Gang request) {
    if (running.hasGang(request.name())) {
      throw new IllegalArgumentException("gang " + request.name() + " is already running");
    }

    Gang toPlace = request;
    if (request.tier() == Tier.HIGH) {
      QuotaCheck check = checkQuota(request, running, cluster);
      if (check.pending != null) {
        return new SchedulingDecision.Pending(request, check.pending);
      }
      toPlace = check.restricted;
    }

    GangDecision idle = GangPlacer.decide(toPlace, cluster, placer);
    if (idle instanceof GangPlacement placed) {
      return new SchedulingDecision.Admit(request, unrestrict(request, placed), List.of());
    }

    Map<String, List<RunningPod>> candidates = preemptible(request.tier(), running.pods());
    if (candidates.isEmpty()) {
      String waitFor =
          request.tier() == Tier.HIGH
              ? "no LOW work is running that could be preempted"
              : "LOW work never preempts; it waits for idle capacity";
      return new SchedulingDecision.Pending(
          request, prefix(request) + waitFor + ". " + ((GangUnschedulable) idle).describe());
    }

    ClusterState allEvicted = cluster.copy();
    candidates.values().forEach(pods -> pods.forEach(p -> allEvicted.unbind(p.placement())));
    if (GangPlacer.decide(toPlace, allEvicted, placer) instanceof GangUnschedulable why) {
      return new SchedulingDecision.Pending(
          request,
          prefix(request)
              + "it does not fit even with all "
              + candidates.size()
              + " preemptible LOW gang"
              + (candidates.size() == 1 ? "" : "s")
              + " evicted. "
              + why.describe());
    }
    return preempt(request, toPlace, cluster, candidates);
  }

  private SchedulingDecision preempt(
      Gang request, Gang toPlace, ClusterState cluster, Map<String, List<RunningPod>> candidates) {
    List<String> victims =
        candidates.size() <= exactSearchLimit
            ? cheapestVictims(toPlace, cluster, candidates)
            : greedyVictims(toPlace, cluster, candidates);
    ClusterState trial = cluster.copy();
    victims.forEach(g -> candidates.get(g).forEach(p -> trial.unbind(p.placement())));
    GangPlacement placed = (GangPlacement) GangPlacer.decide(toPlace, trial, placer);
    List<RunningPod> evicted = new ArrayList<>();
    new TreeSet<>(victims).forEach(g -> evicted.addAll(candidates.get(g)));
    return new SchedulingDecision.Admit(request, unrestrict(request, placed), evicted);
  }

  /**
   * The cheapest set of candidates whose eviction lets the gang fit, by total GPU milli × seconds,
   * then GPU milli, then fewest gangs, then name order. Tries sets in that order, so the answer is
   * exact; the caller has checked that evicting all of them suffices.
   */
  private List<String> cheapestVictims(
      Gang toPlace, ClusterState cluster, Map<String, List<RunningPod>> candidates) {
    List<String> names = new ArrayList<>(candidates.keySet());
    int k = names.size();
    long[] cost = new long[k];
    long[] gpu = new long[k];
    for (int i = 0; i < k; i++) {
      cost[i] = gpuMilliSeconds(candidates.get(names.get(i)));
      gpu[i] = gpuMilli(candidates.get(names.get(i)));
    }
    List<Integer> sets = new ArrayList<>();
    // A set that frees fewer GPU milli than the gang needs, counting the idle ones, cannot do.
    long idle = cluster.totalGpuMilli() - cluster.allocatedGpuMilli();
    for (int set = 1; set < 1 << k; set++) {
      if (idle + sum(gpu, set) >= toPlace.totalGpuMilli()) {
        sets.add(set);
      }
    }
    sets.sort(
        Comparator.comparingLong((Integer set) -> sum(cost, set))
            .thenComparingLong(set -> sum(gpu, set))
            .thenComparingInt(Integer::bitCount)
            .thenComparing(Comparator.naturalOrder()));
    for (int set : sets) {
      ClusterState trial = cluster.copy();
      List<String> victims = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if ((set & 1 << i) != 0) {
          victims.add(names.get(i));
          candidates.get(names.get(i)).forEach(p -> trial.unbind(p.placement()));
        }
      }
      if (GangPlacer.decide(toPlace, trial, placer) instanceof GangPlacement) {
        return victims;
      }
    }
    throw new IllegalStateException("gang " + toPlace.name() + " fits with all candidates evicted");
  }

  /**
   * For too many candidates to try every set: evict cheapest first until the gang fits, then spare
   * every victim it can do without, costliest first, so no victim in the answer is unneeded.
   */
  private List<String> greedyVictims(
      Gang toPlace, ClusterState cluster, Map<String, List<RunningPod>> candidates) {
    List<String> cheapestFirst = new ArrayList<>(candidates.keySet());
    cheapestFirst.sort(
        Comparator.comparingLong((String g) -> gpuMilliSeconds(candidates.get(g)))
            .thenComparingLong(g -> gpuMilli(candidates.get(g)))
            .thenComparing(Comparator.naturalOrder()));
    ClusterState trial = cluster.copy();
    List<String> victims = new ArrayList<>();
    for (String gang : cheapestFirst) {
      candidates.get(gang).forEach(p -> trial.unbind(p.placement()));
      victims.add(gang);
      if (GangPlacer.decide(toPlace, trial, placer) instanceof GangPlacement) {
        break;
      }
    }
    // Placement is greedy, so less free room can change where members go and make the gang fit
    // where it did not (switch-first gang placement makes this common): a victim needed when it
    // was checked may become spare once a later one is given back. Repeat until a whole pass
    // spares none, so every victim is needed against the final set.
    boolean spared = true;
    while (spared) {
      spared = false;
      for (int i = victims.size() - 1; i >= 0; i--) {
        List<RunningPod> pods = candidates.get(victims.get(i));
        pods.forEach(p -> trial.bind(p.placement()));
        if (GangPlacer.decide(toPlace, trial, placer) instanceof GangPlacement) {
          victims.remove(i);
          spared = true;
        } else {
          pods.forEach(p -> trial.unbind(p.placement()));
        }
      }
    }
    return victims;
  }

  private static long sum(long[] values, int set) {
    long total = 0;
    for (int i = 0; i < values.length; i++) {
      if ((set & 1 << i) != 0) {
        total += values[i];
      }
    }
    return total;
  }

  /** Running gangs {@code tier} may preempt, by name, pods in name order. */
  private static Map<String, List<RunningPod>> preemptible(Tier tier, List<RunningPod> running) {
    Map<String, List<RunningPod>> byGang = new TreeMap<>();
    for (RunningPod pod : running) {
      byGang.computeIfAbsent(pod.gang(), g -> new ArrayList<>()).add(pod);
    }
    // A gang is only as preemptible as its most protected pod.
    byGang.values().removeIf(pods -> pods.stream().anyMatch(p -> !tier.mayPreempt(p.tier())));
    byGang
        .values()
        .forEach(pods -> pods.sort(Comparator.comparing(p -> p.placement().pod().name())));
    return byGang;
  }

  private record QuotaCheck(Gang restricted, String pending) {}

  private QuotaCheck checkQuota(Gang request, RunningPods running, ClusterState cluster) {
    TenantQuota quota = quota(request.tenant());
    long need = request.totalGpuMilli();
    if (need == 0) {
      return new QuotaCheck(request, null);
    }
    long used = running.highGpuMilli(request.tenant());
    Map<String, Long> usedByModel = running.highGpuMilliByModel(request.tenant());
    if (used + need > quota.gpuMilli()) {
      String pending =
          quota.gpus() == 0
              ? prefix(request)
                  + "tenant "
                  + request.tenant()
                  + " has no GPU quota, so HIGH work of "
                  + gpus(need)
                  + " cannot be guaranteed; submit it as LOW to run on idle GPUs."
              : prefix(request)
                  + "it needs "
                  + gpus(need)
                  + " but tenant "
                  + request.tenant()
                  + " has "
                  + gpus(Math.max(0, quota.gpuMilli() - used))
                  + " left of its HIGH quota of "
                  + gpus(quota.gpuMilli())
                  + " ("
                  + gpus(used)
                  + " held by its running HIGH work); it waits until that work frees "
                  + gpus(used + need - quota.gpuMilli())
                  + ", or can run as LOW.";
      return new QuotaCheck(null, pending);
    }
    if (quota.gpusPerModel().isEmpty()) {
      return new QuotaCheck(request, null);
    }
    // Each model the gang may land on must have room for all of it: members could split across
    // models, but promising room per model keeps the check simple and never exceeds a cap.
    Set<String> models = cluster.gpuModels();
    Set<String> roomy = new LinkedHashSet<>();
    List<String> full = new ArrayList<>();
    for (String model : models) {
      long cap = quota.modelGpuMilli(model);
      long usedOnModel = usedByModel.getOrDefault(model, 0L);
      if (cap < 0 || usedOnModel + need <= cap) {
        roomy.add(model);
      } else {
        full.add(
            model + ": " + gpus(Math.max(0, cap - usedOnModel)) + " of " + gpus(cap) + " left");
      }
    }
    List<PodRequest> members = new ArrayList<>();
    for (PodRequest member : request.members()) {
      if (!member.needsGpu()) {
        members.add(member);
        continue;
      }
      Set<String> allowed = new TreeSet<>(roomy);
      if (!member.allowedGpuModels().isEmpty()) {
        allowed.retainAll(member.allowedGpuModels());
      }
      if (allowed.isEmpty()) {
        String pending =
            prefix(request)
                + "tenant "
                + request.tenant()
                + "'s per-model HIGH quota has no room for "
                + gpus(need)
                + " on any GPU model member "
                + member.name()
                + " may use ("
                + String.join("; ", full)
                + ").";
        return new QuotaCheck(null, pending);
      }
      members.add(
          new PodRequest(
              member.name(),
              member.cpuMilli(),
              member.memoryMib(),
              member.gpuCount(),
              member.gpuMilli(),
              allowed));
    }
    return new QuotaCheck(
        new Gang(request.name(), request.tenant(), request.tier(), members, request.topology()),
        null);
  }

  /** The placements against the caller's own requests, not the quota-restricted copies. */
  private static List<Placement> unrestrict(Gang request, GangPlacement placed) {
    List<Placement> placements = new ArrayList<>(request.size());
    for (int i = 0; i < request.size(); i++) {
      Placement p = placed.placements().get(i);
      placements.add(
          new Placement(request.members().get(i), p.nodeIndex(), p.nodeName(), p.gpus()));
    }
    return placements;
  }

  private static long gpuMilliSeconds(List<RunningPod> pods) {
    long total = 0;
    for (RunningPod pod : pods) {
      total += pod.gpuMilli() * pod.runningSeconds();
    }
    return total;
  }

  private static long gpuMilli(List<RunningPod> pods) {
    long total = 0;
    for (RunningPod pod : pods) {
      total += pod.gpuMilli();
    }
    return total;
  }

  private static String prefix(Gang request) {
    return request.tier()
        + " gang "
        + request.name()
        + " of tenant "
        + request.tenant()
        + " is pending: ";
  }

  static String gpus(long milli) {
    String amount =
        milli % NodeSpec.GPU_MILLI == 0
            ? Long.toString(milli / NodeSpec.GPU_MILLI)
            : Double.toString(milli / (double) NodeSpec.GPU_MILLI);
    return amount + (milli == NodeSpec.GPU_MILLI ? " GPU" : " GPUs");
  }
}
