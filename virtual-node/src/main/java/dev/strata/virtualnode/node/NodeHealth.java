package dev.strata.virtualnode.node;

/**
 * Whether the node can do its work, as the Ready condition says it.
 *
 * @param ready the compute cluster answered recently enough
 * @param reason CamelCase reason for the Ready condition
 * @param message human-readable explanation
 */
public record NodeHealth(boolean ready, String reason, String message) {
  public static final String READY_REASON = "KubeletReady";
  public static final String NOT_PROBED = "ComputeClusterNotProbed";

  public static NodeHealth ready(String computeCluster) {
    return new NodeHealth(
        true,
        READY_REASON,
        "virtual node is posting ready status; compute cluster " + computeCluster + " answers");
  }

  public static NodeHealth notReady(String reason, String message) {
    return new NodeHealth(false, reason, message);
  }
}
