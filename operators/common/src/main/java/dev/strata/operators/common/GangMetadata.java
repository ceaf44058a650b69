package dev.strata.operators.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a gang scheduler needs to see on each pod of a job (design guide, decision 4): the group and
 * its minimum size travel with the pod, because the compute cluster's scheduler sees only forwarded
 * pods. The keys of scheduler-plugins' coscheduling and of Volcano are set too, so either scheduler
 * groups the pods without Strata's.
 */
public final class GangMetadata {
  /** Strata's group name (the job's name; the virtual node adds tenant and namespace). */
  public static final String GANG_NAME = "strata.dev/gang-name";

  public static final String GANG_MIN_MEMBER = "strata.dev/gang-min-member";
  public static final String GANG_QUEUE = "strata.dev/gang-queue";

  /** scheduler-plugins coscheduling: a pod label naming its PodGroup. */
  public static final String SCHEDULER_PLUGINS_POD_GROUP = "scheduling.x-k8s.io/pod-group";

  /** Volcano: a pod annotation naming its PodGroup. */
  public static final String VOLCANO_GROUP_NAME = "scheduling.k8s.io/group-name";

  private final String group;
  private final int minMember;
  private final String queue;

  public GangMetadata(String group, int minMember, String queue) {
    this.group = group;
    this.minMember = minMember;
    this.queue = queue;
  }

  /**
   * The gang metadata a job's pods carry, or null when the job is not gang-scheduled: it is when it
   * has a schedulingPolicy or the operator puts every job in a gang.
   *
   * @param defaultMembers the minimum members when schedulingPolicy.minAvailable does not say
   */
  public static GangMetadata forJob(
      String job,
      dev.strata.api.common.SchedulingPolicy scheduling,
      boolean gangByDefault,
      int defaultMembers) {
    if (scheduling == null && !gangByDefault) {
      return null;
    }
    int members =
        scheduling != null && scheduling.getMinAvailable() != null
            ? scheduling.getMinAvailable()
            : defaultMembers;
    return new GangMetadata(job, members, scheduling == null ? null : scheduling.getQueue());
  }

  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(GANG_NAME, group);
    labels.put(SCHEDULER_PLUGINS_POD_GROUP, group);
    return labels;
  }

  public Map<String, String> annotations() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(GANG_MIN_MEMBER, Integer.toString(minMember));
    annotations.put(VOLCANO_GROUP_NAME, group);
    if (queue != null && !queue.isEmpty()) {
      annotations.put(GANG_QUEUE, queue);
    }
    return annotations;
  }

  public int minMember() {
    return minMember;
  }
}
