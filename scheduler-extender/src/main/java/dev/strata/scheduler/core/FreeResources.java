package dev.strata.scheduler.core;

import java.util.Arrays;

/**
 * A node's free resources with its identity left out: GPU model, free CPU and the free milli of its
 * GPUs as a multiset (sorted, largest first). Nodes in equal states score alike under policies that
 * only look at free resources, which lets scores be cached across the many identical nodes of a
 * cluster.
 */
public final class FreeResources {

  private final String gpuModel;
  private final long cpuFree;
  private final int[] gpuFreeDescending;
  private final int hash;

  private FreeResources(String gpuModel, long cpuFree, int[] gpuFreeDescending) {
    this.gpuModel = gpuModel;
    this.cpuFree = cpuFree;
    this.gpuFreeDescending = gpuFreeDescending;
    this.hash =
        (gpuModel.hashCode() * 31 + Long.hashCode(cpuFree)) * 31
            + Arrays.hashCode(gpuFreeDescending);
  }

  public static FreeResources of(NodeState node) {
    int[] gpus = new int[node.gpuCount()];
    node.copyGpuFree(gpus);
    return of(node.spec().gpuModel(), node.cpuFree(), gpus);
  }

  /** Takes ownership of {@code gpuFree}, which it sorts. */
  public static FreeResources of(String gpuModel, long cpuFree, int[] gpuFree) {
    Arrays.sort(gpuFree);
    for (int i = 0, j = gpuFree.length - 1; i < j; i++, j--) {
      int t = gpuFree[i];
      gpuFree[i] = gpuFree[j];
      gpuFree[j] = t;
    }
    return new FreeResources(gpuModel, cpuFree, gpuFree);
  }

  public String gpuModel() {
    return gpuModel;
  }

  public long cpuFree() {
    return cpuFree;
  }

  public int gpuCount() {
    return gpuFreeDescending.length;
  }

  /** Free milli of the {@code rank}-th emptiest GPU (0 is the emptiest). */
  public int gpuFree(int rank) {
    return gpuFreeDescending[rank];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FreeResources f
        && f.hash == hash
        && f.cpuFree == cpuFree
        && f.gpuModel.equals(gpuModel)
        && Arrays.equals(f.gpuFreeDescending, gpuFreeDescending);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return gpuModel + "{cpu=" + cpuFree + "m, gpu=" + Arrays.toString(gpuFreeDescending) + "}";
  }
}
