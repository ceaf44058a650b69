package dev.strata.sandbox.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The GPU servers the sandbox can simulate: what one node of each model offers. V100 servers (DGX-1
 * class) link their eight GPUs by NVLink in two groups of four; P100 servers here are PCIe boxes of
 * four GPUs with no NVLink.
 */
public enum GpuNodeModel {
  V100("V100", 8, "0-3,4-7", 64, 488),
  P100("P100", 4, null, 32, 256);

  private final String label;
  private final int gpus;
  private final String nvlinkGroups;
  private final int cpus;
  private final int memoryGi;

  GpuNodeModel(String label, int gpus, String nvlinkGroups, int cpus, int memoryGi) {
    this.label = label;
    this.gpus = gpus;
    this.nvlinkGroups = nvlinkGroups;
    this.cpus = cpus;
    this.memoryGi = memoryGi;
  }

  /** The value of the {@code strata.dev/gpu-model} label. */
  public String label() {
    return label;
  }

  public int gpus() {
    return gpus;
  }

  /** The {@code strata.dev/nvlink-groups} annotation, or null for PCIe-only servers. */
  public String nvlinkGroups() {
    return nvlinkGroups;
  }

  public int cpus() {
    return cpus;
  }

  public int memoryGi() {
    return memoryGi;
  }

  /** The model named (case-insensitive), as in {@code v100=16}. */
  public static Optional<GpuNodeModel> named(String name) {
    return Arrays.stream(values())
        .filter(m -> m.label.equals(name.trim().toUpperCase(Locale.ROOT)))
        .findFirst();
  }
}
