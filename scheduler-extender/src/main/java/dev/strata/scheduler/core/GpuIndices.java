package dev.strata.scheduler.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The GPU indices a {@link Placement} chose, as the pod annotation {@value #ANNOTATION} records
 * them: ascending, comma-separated, e.g. {@code 0,1} for two whole GPUs or {@code 3} for a share of
 * GPU 3. A scheduler writes it when binding and reads it back to rebuild running pods' placements.
 */
public final class GpuIndices {

  public static final String ANNOTATION = "strata.dev/gpu-indices";

  private GpuIndices() {}

  /** The annotation value for a placement's GPUs; empty for a CPU-only pod. */
  public static String format(int[] gpuIndices) {
    return Arrays.stream(gpuIndices)
        .sorted()
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }

  /**
   * The indices an annotation value names; null or blank is none.
   *
   * @throws IllegalArgumentException when a part is no index, is negative or repeats
   */
  public static int[] parse(String value) {
    if (value == null || value.isBlank()) {
      return new int[0];
    }
    String[] parts = value.split(",");
    int[] indices = new int[parts.length];
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      try {
        indices[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            ANNOTATION + " '" + value + "': '" + parts[i].strip() + "' is not a GPU index");
      }
      if (indices[i] < 0 || !seen.add(indices[i])) {
        throw new IllegalArgumentException(
            ANNOTATION + " '" + value + "': GPU " + indices[i] + " is negative or repeated");
      }
    }
    Arrays.sort(indices);
    return indices;
  }
}
