package dev.strata.scheduler.core;

import java.util.Map;
import java.util.Objects;

/**
 * The GPUs a tenant's {@link Tier#HIGH} work is guaranteed, and may never exceed. LOW work is not
 * counted: it borrows whatever is idle and gives it back when HIGH work needs it.
 *
 * @param gpus whole GPUs across all models; shares count as fractions
 * @param gpusPerModel optional caps per GPU model, within {@code gpus}; a model without an entry is
 *     bounded by {@code gpus} alone
 */
public record TenantQuota(String tenant, int gpus, Map<String, Integer> gpusPerModel) {

  public TenantQuota {
    Objects.requireNonNull(tenant, "tenant");
    gpusPerModel = gpusPerModel == null ? Map.of() : Map.copyOf(gpusPerModel);
    if (gpus < 0 || gpusPerModel.values().stream().anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException("negative quota for tenant " + tenant);
    }
  }

  public TenantQuota(String tenant, int gpus) {
    this(tenant, gpus, Map.of());
  }

  public long gpuMilli() {
    return (long) gpus * NodeSpec.GPU_MILLI;
  }

  /** The cap on one model in milli, or -1 when only the total bounds it. */
  public long modelGpuMilli(String model) {
    Integer cap = gpusPerModel.get(model);
    return cap == null ? -1 : (long) cap * NodeSpec.GPU_MILLI;
  }
}
