package dev.strata.scheduler.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Pods that start together or not at all, such as the workers of one distributed training job: a
 * job that holds half its workers' GPUs makes no progress and blocks others. A single pod is a gang
 * of one.
 *
 * @param name unique among running and requested gangs; preemption evicts by this name
 * @param members placed in this order, which makes the outcome deterministic
 * @param topology whether the gang may spread over several RoCE switches when no one switch has
 *     room ({@link TopologyMode#PREFERRED}) or waits ({@link TopologyMode#REQUIRED})
 */
public record Gang(
    String name, String tenant, Tier tier, List<PodRequest> members, TopologyMode topology) {

  public Gang {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tier, "tier");
    topology = topology == null ? TopologyMode.PREFERRED : topology;
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("gang " + name + " has no members");
    }
    Set<String> names = new HashSet<>();
    for (PodRequest member : members) {
      if (!names.add(member.name())) {
        throw new IllegalArgumentException("gang " + name + " has two members " + member.name());
      }
    }
  }

  /** A gang that prefers one switch but spreads rather than wait. */
  public Gang(String name, String tenant, Tier tier, List<PodRequest> members) {
    this(name, tenant, tier, members, TopologyMode.PREFERRED);
  }

  /** The same gang with another topology mode. */
  public Gang withTopology(TopologyMode mode) {
    return new Gang(name, tenant, tier, members, mode);
  }

  /** A gang of one pod, named after it. */
  public static Gang of(PodRequest pod, String tenant, Tier tier) {
    return new Gang(pod.name(), tenant, tier, List.of(pod));
  }

  /** GPU milli of all members together, the unit quotas are counted in. */
  public long totalGpuMilli() {
    long total = 0;
    for (PodRequest member : members) {
      total += member.totalGpuMilli();
    }
    return total;
  }

  public int size() {
    return members.size();
  }
}
