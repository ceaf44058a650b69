package dev.strata.scheduler.core;

import java.util.Objects;
import java.util.Set;

/**
 * What one pod asks for: CPU (milli), memory (MiB) and {@code gpuCount} GPUs of {@code gpuMilli}
 * each. A share of a GPU ({@code gpuMilli < 1000}) is only meaningful for a single GPU: several
 * partial GPUs would leave the pod's workers on devices that other tenants also load.
 *
 * @param allowedGpuModels the GPU models the pod may run on; empty means any model
 */
public record PodRequest(
    String name,
    long cpuMilli,
    long memoryMib,
    int gpuCount,
    int gpuMilli,
    Set<String> allowedGpuModels) {

  public PodRequest {
    Objects.requireNonNull(name, "name");
    if (cpuMilli < 0 || memoryMib < 0 || gpuCount < 0) {
      throw new IllegalArgumentException("negative request in pod " + name);
    }
    if (gpuCount == 0) {
      gpuMilli = 0;
    } else if (gpuMilli <= 0 || gpuMilli > NodeSpec.GPU_MILLI) {
      throw new IllegalArgumentException(
          "pod " + name + " asks for " + gpuMilli + " milli per GPU; must be 1..1000");
    } else if (gpuCount > 1 && gpuMilli < NodeSpec.GPU_MILLI) {
      throw new IllegalArgumentException(
          "pod " + name + " asks for a share of " + gpuCount + " GPUs; shares need gpuCount 1");
    }
    allowedGpuModels = allowedGpuModels == null ? Set.of() : Set.copyOf(allowedGpuModels);
  }

  public static PodRequest cpuOnly(String name, long cpuMilli, long memoryMib) {
    return new PodRequest(name, cpuMilli, memoryMib, 0, 0, Set.of());
  }

  public boolean needsGpu() {
    return gpuCount > 0;
  }

  /** True for a pod that takes part of one GPU and leaves the rest to others. */
  public boolean isGpuShare() {
    return gpuCount == 1 && gpuMilli < NodeSpec.GPU_MILLI;
  }

  public long totalGpuMilli() {
    return (long) gpuCount * gpuMilli;
  }

  public boolean acceptsModel(String model) {
    return allowedGpuModels.isEmpty() || allowedGpuModels.contains(model);
  }

  /** The same request under another name, as trace generators clone pods. */
  public PodRequest withName(String newName) {
    return new PodRequest(newName, cpuMilli, memoryMib, gpuCount, gpuMilli, allowedGpuModels);
  }
}
