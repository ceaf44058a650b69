package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.RunningPods;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What decisions see: the {@link Snapshot}'s bound pods plus the placements of every {@link
 * GangPlan}, as one {@link ClusterState} and its {@link RunningPods} index. Built once per snapshot
 * and then kept up to date as plans are taken and released, so a request costs the core's decision
 * and not a rebuild of thousands of nodes. A plan's members count as running pods of its gang: the
 * quota counts them, and a LOW plan can be preempted like running LOW work.
 *
 * <p>Not thread-safe; the service holds its lock around every use.
 */
final class Reservations {

  final long snapshotVersion;
  final ClusterState cluster;
  final RunningPods running;
  private final Snapshot snapshot;
  private final Map<String, List<RunningPod>> byPlan = new HashMap<>();

  Reservations(Snapshot snapshot) {
    this.snapshot = snapshot;
    this.snapshotVersion = snapshot.version;
    this.cluster = snapshot.state.copy();
    this.running = RunningPods.of(cluster, snapshot.running);
  }

  /**
   * Takes the placements of the plan's members that are not running yet. False when one no longer
   * fits or its node is gone: then an uncommitted plan takes nothing (it is to be dropped), and a
   * committed one keeps what it could take, since its binds are under way.
   */
  boolean take(GangPlan plan) {
    List<Placement> taken = new ArrayList<>();
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
      } catch (IllegalStateException e) {
        fits = false;
        break;
      }
    }
    if (!fits && !plan.committed) {
      taken.forEach(cluster::unbind);
      return false;
    }
    List<RunningPod> pods = new ArrayList<>(taken.size());
    for (Placement p : taken) {
      RunningPod pod = new RunningPod(plan.gang, plan.tenant, plan.tier, p, 0);
      pods.add(pod);
      running.add(pod);
    }
    byPlan.put(plan.gang, pods);
    return fits;
  }

  /** Gives back what {@link #take} took for the gang's plan; nothing when it took nothing. */
  void release(String gang) {
    List<RunningPod> pods = byPlan.remove(gang);
    if (pods == null) {
      return;
    }
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
