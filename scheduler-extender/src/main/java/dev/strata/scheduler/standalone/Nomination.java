package dev.strata.scheduler.standalone;

import dev.strata.scheduler.kube.ClusterSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A gang that preempted others and waits for them to go: its victims' pods (by UID) are counted as
 * gone and its own pods as placed at {@code placements} (by pod UID), so no other gang takes the
 * room meanwhile. It lapses once every victim has left the API, or one gang timeout after {@code
 * since} (a victim held by a finalizer must not hold the gang for ever); the gang is then decided
 * afresh on the cluster as it is.
 */
record Nomination(
    Set<String> victimUids, Map<String, ClusterSnapshot.Assumed> placements, Instant since) {
  public Nomination {
    victimUids = Set.copyOf(victimUids);
    placements = Map.copyOf(placements);
  }
}
