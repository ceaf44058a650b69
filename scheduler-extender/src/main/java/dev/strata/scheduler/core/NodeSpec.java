package dev.strata.scheduler.core;

import java.util.Map;
import java.util.Objects;

/**
 * What a node offers when empty: allocatable CPU (milli), memory (MiB) and {@code gpuCount} whole
 * GPUs of one model, each worth {@link #GPU_MILLI} milli.
 *
 * <p>Topology: the labels {@value #RACK_LABEL} and {@value #SWITCH_LABEL} place the node in a rack
 * and under a RoCE switch, which gang placement reads ({@link GangPlacer}); {@code nvLinkGroups}
 * says which of its GPUs NVLink joins, which GPU choice reads ({@link GpuChoice}).
 */
public record NodeSpec(
    String name,
    long cpuMilli,
    long memoryMib,
    int gpuCount,
    String gpuModel,
    Map<String, String> labels,
    NvLinkGroups nvLinkGroups) {

  /** Milli units of one whole GPU. */
  public static final int GPU_MILLI = 1000;

  /** Node label naming the node's rack. */
  public static final String RACK_LABEL = "strata.dev/rack";

  /** Node label naming the RoCE switch the node hangs off. */
  public static final String SWITCH_LABEL = "strata.dev/switch";

  public NodeSpec {
    Objects.requireNonNull(name, "name");
    if (cpuMilli < 0 || memoryMib < 0 || gpuCount < 0) {
      throw new IllegalArgumentException("negative capacity on node " + name);
    }
    gpuModel = gpuModel == null ? "" : gpuModel;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    nvLinkGroups = nvLinkGroups == null ? NvLinkGroups.NONE : nvLinkGroups;
    if (nvLinkGroups.maxGpu() >= gpuCount) {
      throw new IllegalArgumentException(
          "node "
              + name
              + " has "
              + gpuCount
              + " GPUs but its NVLink groups "
              + nvLinkGroups
              + " name GPU "
              + nvLinkGroups.maxGpu());
    }
  }

  public NodeSpec(
      String name,
      long cpuMilli,
      long memoryMib,
      int gpuCount,
      String gpuModel,
      Map<String, String> labels) {
    this(name, cpuMilli, memoryMib, gpuCount, gpuModel, labels, NvLinkGroups.NONE);
  }

  public NodeSpec(String name, long cpuMilli, long memoryMib, int gpuCount, String gpuModel) {
    this(name, cpuMilli, memoryMib, gpuCount, gpuModel, Map.of(), NvLinkGroups.NONE);
  }

  /** The value of {@value #RACK_LABEL}, null when the node has none. */
  public String rack() {
    return labels.get(RACK_LABEL);
  }

  /** The value of {@value #SWITCH_LABEL}, null when the node has none. */
  public String roceSwitch() {
    return labels.get(SWITCH_LABEL);
  }
}
