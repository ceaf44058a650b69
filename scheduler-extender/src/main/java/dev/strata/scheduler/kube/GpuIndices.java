package dev.strata.scheduler.kube;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The value of pod annotation {@value KubeKeys#GPU_INDICES_ANNOTATION}: the GPU indices on the node
 * that the scheduler chose for the pod, comma-separated in ascending order ({@code 0,1}; a share
 * names its one GPU, {@code 3}). The device plugin side reads it to expose those GPUs.
 */
public final class GpuIndices {

  private GpuIndices() {}

  public static String format(int[] gpus) {
    return Arrays.stream(gpus)
        .sorted()
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }

  /** The indices, distinct and ascending; empty for an empty value. */
  public static Translation<int[]> parse(String value) {
    if (value == null || value.isBlank()) {
      return Translation.ok(new int[0]);
    }
    Set<Integer> gpus = new TreeSet<>();
    for (String part : value.split(",")) {
      try {
        int gpu = Integer.parseInt(part.trim());
        if (gpu < 0 || !gpus.add(gpu)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        return Translation.rejected(
            KubeKeys.GPU_INDICES_ANNOTATION
                + "='"
                + value
                + "' must list distinct GPU indices of at least 0, e.g. 0,1");
      }
    }
    return Translation.ok(gpus.stream().mapToInt(Integer::intValue).toArray());
  }
}
