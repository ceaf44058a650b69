package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.Tier;
import java.time.Instant;
import java.util.List;

/**
 * Where the extender has decided every waiting member of one gang goes. Until the gang is bound its
 * placements count as taken for every other decision, so two gangs are never planned onto the same
 * GPUs. A plan is committed by the first bind of a member; from then on the extender binds the
 * whole gang and the plan is no longer recomputed.
 */
final class GangPlan {

  /** One member: pod key ({@code namespace/name}), UID, request and where it goes. */
  record Member(String podKey, String uid, PodRequest request, String node, int[] gpus) {}

  final String gang;
  final String tenant;
  final Tier tier;
  final List<Member> members;

  /** The snapshot and plan-set versions the plan was made on, for reuse while neither changed. */
  final long snapshotVersion;

  long plansVersion;
  final Instant created;
  boolean committed;

  /** Members this extender has bound, before its informer shows them bound. */
  final java.util.Set<String> boundByUs = new java.util.HashSet<>();

  GangPlan(
      String gang,
      String tenant,
      Tier tier,
      List<Member> members,
      long snapshotVersion,
      Instant created) {
    this.gang = gang;
    this.tenant = tenant;
    this.tier = tier;
    this.members = List.copyOf(members);
    this.snapshotVersion = snapshotVersion;
    this.created = created;
  }

  Member member(String podKey) {
    for (Member m : members) {
      if (m.podKey().equals(podKey)) {
        return m;
      }
    }
    return null;
  }

  /** True for a pod placed alone: kube-scheduler may then choose among all nodes it fits. */
  boolean alone() {
    return members.size() == 1;
  }
}
