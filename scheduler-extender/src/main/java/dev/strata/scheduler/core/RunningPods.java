package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running pods, indexed for the {@link Scheduler}: by gang, and each tenant's HIGH GPU milli in
 * total and per GPU model, kept up to date as pods are added and gangs removed. A scheduler that
 * keeps one beside its {@link ClusterState} decides without going through every running pod (the
 * quota check and the duplicate-name check become lookups; only preemption lists them).
 */
public final class RunningPods {

  private final ClusterState cluster;
  private final Map<String, List<RunningPod>> byGang = new LinkedHashMap<>();
  private final Map<String, Long> highByTenant = new HashMap<>();
  private final Map<String, Map<String, Long>> highByTenantModel = new HashMap<>();
  private int size;

  /** Empty, for pods on the nodes of {@code cluster} (which gives their GPU models). */
  public RunningPods(ClusterState cluster) {
    this.cluster = cluster;
  }

  public static RunningPods of(ClusterState cluster, List<RunningPod> pods) {
    RunningPods index = new RunningPods(cluster);
    pods.forEach(index::add);
    return index;
  }

  public void add(RunningPod pod) {
    byGang.computeIfAbsent(pod.gang(), g -> new ArrayList<>()).add(pod);
    size++;
    count(pod, 1);
  }

  /** Removes every pod of {@code gang} and returns them; none when it is not running. */
  public List<RunningPod> removeGang(String gang) {
    List<RunningPod> pods = byGang.remove(gang);
    if (pods == null) {
      return List.of();
    }
    size -= pods.size();
    pods.forEach(p -> count(p, -1));
    return pods;
  }

  /**
   * Removes one pod (the very instance {@link #add}ed), leaving its gang-mates; false when it is
   * not there. For a cache that follows pods one event at a time.
   */
  public boolean remove(RunningPod pod) {
    List<RunningPod> pods = byGang.get(pod.gang());
    if (pods == null) {
      return false;
    }
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i) == pod) {
        pods.remove(i);
        if (pods.isEmpty()) {
          byGang.remove(pod.gang());
        }
        size--;
        count(pod, -1);
        return true;
      }
    }
    return false;
  }

  private void count(RunningPod pod, int sign) {
    if (pod.tier() != Tier.HIGH) {
      return;
    }
    long milli = sign * pod.gpuMilli();
    highByTenant.merge(pod.tenant(), milli, Long::sum);
    String model = cluster.node(pod.placement().nodeIndex()).spec().gpuModel();
    highByTenantModel
        .computeIfAbsent(pod.tenant(), t -> new HashMap<>())
        .merge(model, milli, Long::sum);
  }

  public boolean hasGang(String gang) {
    return byGang.containsKey(gang);
  }

  /** How many pods of {@code gang} are running; 0 when it is not. */
  public int gangSize(String gang) {
    List<RunningPod> pods = byGang.get(gang);
    return pods == null ? 0 : pods.size();
  }

  public int size() {
    return size;
  }

  /** Every running pod, gang by gang. */
  public List<RunningPod> pods() {
    List<RunningPod> all = new ArrayList<>(size);
    byGang.values().forEach(all::addAll);
    return all;
  }

  /** GPU milli held by the tenant's running HIGH pods. */
  long highGpuMilli(String tenant) {
    return highByTenant.getOrDefault(tenant, 0L);
  }

  /** The same per GPU model of the nodes they run on. */
  Map<String, Long> highGpuMilliByModel(String tenant) {
    return highByTenantModel.getOrDefault(tenant, Map.of());
  }
}
