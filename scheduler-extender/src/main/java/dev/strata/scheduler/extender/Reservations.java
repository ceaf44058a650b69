package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.RunningPods;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What decisions see: the {@link Snapshot}'s bound pods plus the placements of every {@link
 * GangPlan}, as one {@link ClusterState} and its {@link RunningPods} index. Built once from a
 * snapshot and then kept up to date as plans are taken and released and as pods start and stop
 * ({@link #stopped}, {@link #started}), so a request costs the core's decision and not a rebuild of
 * thousands of nodes. A plan's members count as running pods of its gang: the quota counts them,
 * and a LOW plan can be preempted like running LOW work.
 *
 * <p>Not thread-safe; the service holds its lock around every use.
 */
final class Reservations {

  /** The snapshot version this shows; moved forward with the snapshot. */
  long snapshotVersion;

  final ClusterState cluster;
  final RunningPods running;
  private final Snapshot snapshot;

  /** What each plan took: its members' placements by pod key (members running then: none). */
  private final Map<String, Map<String, RunningPod>> byPlan = new HashMap<>();

  Reservations(Snapshot snapshot) {
    this.snapshot = snapshot;
    this.snapshotVersion = snapshot.version;
    this.cluster = snapshot.state.copy();
    this.running = RunningPods.of(cluster, snapshot.running());
  }

  /** A pod of the snapshot stopped running (it finished, went away or changed): gives it back. */
  void stopped(RunningPod pod) {
    cluster.unbind(pod.placement());
    running.remove(pod);
  }

  /**
   * A pod of the snapshot started running. Its plan's hold on the room it was planned on is given
   * back first (the pod now holds its own). False when it does not fit beside the plans: then these
   * reservations are out of date and are to be built anew, which drops the plans that no longer
   * fit.
   */
  boolean started(String podKey, RunningPod pod) {
    Map<String, RunningPod> planned = byPlan.get(pod.gang());
    RunningPod held = planned == null ? null : planned.remove(podKey);
    if (held != null) {
      stopped(held);
    }
    try {
      cluster.bind(pod.placement());
    } catch (IllegalStateException e) {
      return false;
    }
    running.add(pod);
    return true;
  }

  /** The same pod, still where it was, as a new instance (say, with a new running time). */
  void replace(RunningPod old, RunningPod now) {
    running.remove(old);
    running.add(now);
  }

  /**
   * Takes the placements of the plan's members that are not running yet. False when one no longer
   * fits or its node is gone: then an uncommitted plan takes nothing (it is to be dropped), and a
   * committed one keeps what it could take, since its binds are under way.
   */
  boolean take(GangPlan plan) {
    List<Placement> taken = new ArrayList<>();
    List<String> takenFor = new ArrayList<>();
    boolean fits = true;
    for (GangPlan.Member m : plan.members) {
      if (snapshot.runningByKey.containsKey(m.podKey())) {
        continue;
      }
      Integer index = snapshot.nodeIndex.get(m.node());
      if (index == null) {
        fits = false;
        continue;
      }
      Placement p = new Placement(m.request(), index, m.node(), m.gpus());
      try {
        cluster.bind(p);
        taken.add(p);
        takenFor.add(m.podKey());
      } catch (IllegalStateException e) {
        fits = false;
        break;
      }
    }
    if (!fits && !plan.committed) {
      taken.forEach(cluster::unbind);
      return false;
    }
    Map<String, RunningPod> pods = new HashMap<>();
    for (int i = 0; i < taken.size(); i++) {
      RunningPod pod = new RunningPod(plan.gang, plan.tenant, plan.tier, taken.get(i), 0);
      pods.put(takenFor.get(i), pod);
      running.add(pod);
    }
    byPlan.put(plan.gang, pods);
    return fits;
  }

  /** Gives back what {@link #take} took for the gang's plan; nothing when it took nothing. */
  void release(String gang) {
    Map<String, RunningPod> held = byPlan.remove(gang);
    if (held == null || held.isEmpty()) {
      return;
    }
    Collection<RunningPod> pods = held.values();
    // The index removes gangs whole; the gang's bound members (a plan for the rest of a gang
    // that partly runs) go back in.
    Set<RunningPod> planned = Collections.newSetFromMap(new IdentityHashMap<>());
    planned.addAll(pods);
    for (RunningPod pod : running.removeGang(gang)) {
      if (!planned.contains(pod)) {
        running.add(pod);
      }
    }
    pods.forEach(p -> cluster.unbind(p.placement()));
  }
}
