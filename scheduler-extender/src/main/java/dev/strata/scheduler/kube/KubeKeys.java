package dev.strata.scheduler.kube;

/**
 * The Kubernetes names the scheduler reads and writes, shared with the operators and the virtual
 * node (see docs/scheduler.md). Kept in one place so that the extender, the standalone scheduler
 * and their tests spell them the same way.
 */
public final class KubeKeys {

  /** Whole GPUs: extended resource in a container's limits or requests. */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** A share of one GPU, 1..999 milli. */
  public static final String GPU_MILLI_RESOURCE = "strata.dev/gpu-milli";

  /** Node label naming the node's GPU model; pods restrict models through it. */
  public static final String GPU_MODEL_LABEL = "strata.dev/gpu-model";

  /** Pod annotation the scheduler writes: the chosen GPU indices on the node, e.g. {@code 0,1}. */
  public static final String GPU_INDICES_ANNOTATION =
      dev.strata.scheduler.core.GpuIndices.ANNOTATION;

  /** Node annotation: GPU index groups linked by NVLink, e.g. {@code 0-3,4-7}. */
  public static final String NVLINK_GROUPS_ANNOTATION =
      dev.strata.scheduler.core.NvLinkGroups.ANNOTATION;

  public static final String TENANT_LABEL = "strata.dev/tenant";

  /** {@code high} or {@code low}; absent means high. */
  public static final String TIER_LABEL = "strata.dev/tier";

  /** Strata's gang label, preferred over the other two gang keys. */
  public static final String GANG_NAME_LABEL = "strata.dev/gang-name";

  public static final String GANG_MIN_MEMBER_ANNOTATION = "strata.dev/gang-min-member";

  /** scheduler-plugins coscheduling's pod label naming a PodGroup. */
  public static final String POD_GROUP_LABEL = "scheduling.x-k8s.io/pod-group";

  /** Volcano's pod annotation naming a PodGroup. */
  public static final String GROUP_NAME_ANNOTATION = "scheduling.k8s.io/group-name";

  /** {@code preferred} (default) or {@code required}: whether a gang may span switches. */
  public static final String TOPOLOGY_ANNOTATION =
      dev.strata.scheduler.core.TopologyMode.ANNOTATION;

  /** The standalone scheduler's default {@code spec.schedulerName}. */
  public static final String SCHEDULER_NAME = "strata-scheduler";

  private KubeKeys() {}
}
