package dev.strata.virtualnode.node;

import dev.strata.operators.common.JobPodPolicy;

/** The names the virtual node puts on its Node and Lease, shared with the charts and the docs. */
public final class NodeKeys {
  public static final String TYPE_LABEL = "type";
  public static final String TYPE_VALUE = "virtual-kubelet";
  public static final String ROLE_LABEL = "kubernetes.io/role";
  public static final String ROLE_VALUE = "agent";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
  public static final String OS_LABEL = "kubernetes.io/os";
  public static final String ARCH_LABEL = "kubernetes.io/arch";

  /** The compute cluster this node forwards to. */
  public static final String COMPUTE_CLUSTER_LABEL = "strata.dev/compute-cluster";

  public static final String TENANT_LABEL = "strata.dev/tenant";

  /** Keeps the node out of cloud load balancers, as other virtual kubelets do. */
  public static final String EXCLUDE_LB_LABEL =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  public static final String TAINT_KEY = JobPodPolicy.VIRTUAL_NODE_TAINT_KEY;
  public static final String TAINT_VALUE = JobPodPolicy.VIRTUAL_NODE_TAINT_VALUE;
  public static final String TAINT_EFFECT = "NoSchedule";

  /** Compute node label naming the GPU model (shared with the scheduler). */
  public static final String GPU_MODEL_LABEL = "strata.dev/gpu-model";

  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** Prefix of the per-model GPU resources, e.g. {@code strata.dev/gpu-v100}. */
  public static final String GPU_MODEL_RESOURCE_PREFIX = "strata.dev/gpu-";

  public static final String LEASE_NAMESPACE = "kube-node-lease";

  private NodeKeys() {}

  /** The per-model extended resource name for a GPU model: {@code V100} → strata.dev/gpu-v100. */
  public static String gpuModelResource(String model) {
    String name = model.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return GPU_MODEL_RESOURCE_PREFIX + name;
  }
}
