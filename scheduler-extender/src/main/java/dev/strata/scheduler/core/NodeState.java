package dev.strata.scheduler.core;

import java.util.Arrays;

/**
 * The free resources of one node at one moment. Mutated only through {@link ClusterState}, which
 * keeps the cluster's totals in step; policies read it.
 */
public final class NodeState {

  private final NodeSpec spec;
  private final int index;
  private long cpuFree;
  private long memoryFree;
  private final int[] gpuFree;
  private int fullyFreeGpus;
  private int maxGpuFree;
  private long version;

  NodeState(NodeSpec spec, int index) {
    this.spec = spec;
    this.index = index;
    this.cpuFree = spec.cpuMilli();
    this.memoryFree = spec.memoryMib();
    this.gpuFree = new int[spec.gpuCount()];
    Arrays.fill(gpuFree, NodeSpec.GPU_MILLI);
    recount();
  }

  private NodeState(NodeState other) {
    this.spec = other.spec;
    this.index = other.index;
    this.cpuFree = other.cpuFree;
    this.memoryFree = other.memoryFree;
    this.gpuFree = other.gpuFree.clone();
    this.fullyFreeGpus = other.fullyFreeGpus;
    this.maxGpuFree = other.maxGpuFree;
    this.version = other.version;
  }

  NodeState copy() {
    return new NodeState(this);
  }

  public NodeSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /** Position of this node in its cluster; stable for the cluster's lifetime. */
  public int index() {
    return index;
  }

  public long cpuFree() {
    return cpuFree;
  }

  public long memoryFree() {
    return memoryFree;
  }

  public int gpuCount() {
    return gpuFree.length;
  }

  public int gpuFree(int gpu) {
    return gpuFree[gpu];
  }

  public int fullyFreeGpus() {
    return fullyFreeGpus;
  }

  /** Free milli of the emptiest GPU, 0 for a node without GPUs. */
  public int maxGpuFree() {
    return maxGpuFree;
  }

  public long totalGpuFree() {
    long total = 0;
    for (int free : gpuFree) {
      total += free;
    }
    return total;
  }

  /** Changes whenever the free resources change, so callers can cache what they derive. */
  public long version() {
    return version;
  }

  /** Copies the free milli of every GPU into {@code out}, which must hold {@link #gpuCount()}. */
  public void copyGpuFree(int[] out) {
    System.arraycopy(gpuFree, 0, out, 0, gpuFree.length);
  }

  void take(PodRequest pod, int[] gpus) {
    cpuFree -= pod.cpuMilli();
    memoryFree -= pod.memoryMib();
    for (int gpu : gpus) {
      gpuFree[gpu] -= pod.gpuMilli();
    }
    recount();
  }

  void give(PodRequest pod, int[] gpus) {
    cpuFree += pod.cpuMilli();
    memoryFree += pod.memoryMib();
    for (int gpu : gpus) {
      gpuFree[gpu] += pod.gpuMilli();
    }
    recount();
  }

  private void recount() {
    int full = 0;
    int max = 0;
    for (int free : gpuFree) {
      if (free == NodeSpec.GPU_MILLI) {
        full++;
      }
      max = Math.max(max, free);
    }
    fullyFreeGpus = full;
    maxGpuFree = max;
    version++;
  }

  @Override
  public String toString() {
    return name()
        + "{cpu="
        + cpuFree
        + "m, mem="
        + memoryFree
        + "Mi, gpu="
        + Arrays.toString(gpuFree)
        + "}";
  }
}
