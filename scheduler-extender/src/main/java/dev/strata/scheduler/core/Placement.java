package dev.strata.scheduler.core;

import java.util.Arrays;

/**
 * Where a pod goes: a node and the GPUs on it (empty for a CPU-only pod).
 *
 * @param nodeIndex the node's position in the {@link ClusterState} the decision was made on
 */
public record Placement(PodRequest pod, int nodeIndex, String nodeName, int[] gpuIndices)
    implements Decision {

  public Placement {
    gpuIndices = gpuIndices.clone();
  }

  @Override
  public int[] gpuIndices() {
    return gpuIndices.clone();
  }

  int[] gpus() {
    return gpuIndices;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Placement p
        && p.nodeIndex == nodeIndex
        && p.nodeName.equals(nodeName)
        && p.pod.equals(pod)
        && Arrays.equals(p.gpuIndices, gpuIndices);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * nodeName.hashCode() + pod.hashCode()) + Arrays.hashCode(gpuIndices);
  }

  @Override
  public String toString() {
    return pod.name() + " -> " + nodeName + " GPUs " + Arrays.toString(gpuIndices);
  }
}
