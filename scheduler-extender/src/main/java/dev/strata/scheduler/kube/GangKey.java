package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.Tier;
import java.util.Objects;

/**
 * Which gang a pod belongs to and on whose behalf it runs, as read by {@link GangKeys#of}.
 *
 * @param namespace gangs never span namespaces: pods of the same group name in two namespaces are
 *     two gangs
 * @param group the gang's name within the namespace; the pod's own name for a pod alone
 * @param alone true for a pod that names no gang; it is a gang of one
 * @param minMember how many pods must exist before the gang is placed; 0 when the pod does not say
 *     (then the pods present are the gang)
 */
public record GangKey(
    String namespace, String group, boolean alone, int minMember, String tenant, Tier tier) {

  public GangKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tier, "tier");
    if (minMember < 0) {
      throw new IllegalArgumentException("negative minMember for gang " + group);
    }
  }

  /**
   * The gang's name for the core ({@code Gang.name}, {@code RunningPod.gang}): unique across the
   * cluster, and distinct for a lone pod and a gang that share a name in one namespace.
   */
  public String gangName() {
    return alone ? namespace + "/pod/" + group : namespace + "/" + group;
  }

  /** Whether another pod belongs to the same gang; tenant and tier do not decide it. */
  public boolean sameGang(GangKey other) {
    return namespace.equals(other.namespace) && group.equals(other.group) && alone == other.alone;
  }
}
