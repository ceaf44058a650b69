package dev.strata.scheduler.core;

import java.util.Map;
import java.util.Objects;

/**
 * What a node offers when empty: allocatable CPU (milli), memory (MiB) and {@code gpuCount} whole
 * GPUs of one model, each worth {@link #GPU_MILLI} milli.
 *
 * <p>Labels are carried for topology-aware placement (rack, NVLink domain, zone); the core does not
 * read them yet.
 */
public record NodeSpec(
    String name,
    long cpuMilli,
    long memoryMib,
    int gpuCount,
    String gpuModel,
    Map<String, String> labels) {

  /** Milli units of one whole GPU. */
  public static final int GPU_MILLI = 1000;

  public NodeSpec {
    Objects.requireNonNull(name, "name");
    if (cpuMilli < 0 || memoryMib < 0 || gpuCount < 0) {
      throw new IllegalArgumentException("negative capacity on node " + name);
    }
    gpuModel = gpuModel == null ? "" : gpuModel;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public NodeSpec(String name, long cpuMilli, long memoryMib, int gpuCount, String gpuModel) {
    this(name, cpuMilli, memoryMib, gpuCount, gpuModel, Map.of());
  }
}
