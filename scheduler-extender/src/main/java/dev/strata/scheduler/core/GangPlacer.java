package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Places a gang all at once or not at all. Members are decided one by one, in order, on a copy of
 * the cluster with the earlier members bound, so later members see what earlier ones took; the
 * caller's cluster is never changed, so a gang that does not fit leaves no partial placement
 * behind.
 *
 * <p>Members go in the order given rather than largest first: the caller knows the job (a launcher
 * before its workers) and reordering would make the outcome depend on sizes in ways that are harder
 * to explain. The result is deterministic for the same cluster, gang and placer.
 */
public final class GangPlacer {

  private GangPlacer() {}

  public static GangDecision decide(Gang gang, ClusterState cluster, Placer placer) {
    ClusterState trial = cluster.copy();
    List<Placement> placements = new ArrayList<>(gang.size());
    for (int i = 0; i < gang.size(); i++) {
      Decision decision = placer.decide(gang.members().get(i), trial);
      if (decision instanceof Unschedulable why) {
        return new GangUnschedulable(gang, i, why);
      }
      Placement placement = (Placement) decision;
      trial.bind(placement);
      placements.add(placement);
    }
    return new GangPlacement(gang, placements);
  }
}
