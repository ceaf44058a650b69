package dev.strata.scheduler.kube;

/**
 * The value of pod annotation {@value KubeKeys#GPU_INDICES_ANNOTATION}: the GPU indices on the node
 * that the scheduler chose for the pod, comma-separated in ascending order ({@code 0,1}; a share
 * names its one GPU, {@code 3}). The device plugin side reads it to expose those GPUs.
 */
public final class GpuIndices {

  private GpuIndices() {}

  public static String format(int[] gpus) {
    return dev.strata.scheduler.core.GpuIndices.format(gpus);
  }

  /** The indices, distinct and ascending; empty for an empty value; a reason for a bad one. */
  public static Translation<int[]> parse(String value) {
    try {
      return Translation.ok(dev.strata.scheduler.core.GpuIndices.parse(value));
    } catch (IllegalArgumentException e) {
      return Translation.rejected(
          KubeKeys.GPU_INDICES_ANNOTATION
              + "='"
              + value
              + "' must list distinct GPU indices of at least 0, e.g. 0,1");
    }
  }
}
