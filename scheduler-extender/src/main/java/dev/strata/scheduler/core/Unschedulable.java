package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Why no node can take a pod, as counts of nodes per reason. A node short of several things counts
 * under each, so the counts can add up to more than the cluster.
 */
public record Unschedulable(
    PodRequest pod,
    int nodes,
    int lackCpu,
    int lackMemory,
    int wrongGpuModel,
    int tooFewFreeGpus,
    int noGpuWithEnoughShare)
    implements Decision {

  static Unschedulable explain(PodRequest pod, ClusterState cluster) {
    int[] all = new int[cluster.size()];
    Arrays.setAll(all, i -> i);
    return explain(pod, cluster, all);
  }

  /** Counts only the nodes at {@code nodeIndices}, such as those under one switch. */
  static Unschedulable explain(PodRequest pod, ClusterState cluster, int[] nodeIndices) {
    int cpu = 0;
    int memory = 0;
    int model = 0;
    int count = 0;
    int share = 0;
    for (int i : nodeIndices) {
      int reasons = Feasibility.reasons(pod, cluster.node(i));
      cpu += Feasibility.has(reasons, Feasibility.Shortfall.CPU) ? 1 : 0;
      memory += Feasibility.has(reasons, Feasibility.Shortfall.MEMORY) ? 1 : 0;
      model += Feasibility.has(reasons, Feasibility.Shortfall.GPU_MODEL) ? 1 : 0;
      count += Feasibility.has(reasons, Feasibility.Shortfall.GPU_COUNT) ? 1 : 0;
      share += Feasibility.has(reasons, Feasibility.Shortfall.GPU_SHARE) ? 1 : 0;
    }
    return new Unschedulable(pod, nodeIndices.length, cpu, memory, model, count, share);
  }

  /** One sentence a user can act on, e.g. "0 of 3 nodes can run train-0: 2 lack CPU (...)". */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (lackCpu > 0) {
      parts.add(nodes(lackCpu) + " too little free CPU (needs " + cores(pod.cpuMilli()) + ")");
    }
    if (lackMemory > 0) {
      parts.add(nodes(lackMemory) + " too little free memory (needs " + pod.memoryMib() + " MiB)");
    }
    if (wrongGpuModel > 0) {
      String allowed =
          pod.allowedGpuModels().isEmpty()
              ? "GPUs"
              : "GPU of model "
                  + String.join(" or ", pod.allowedGpuModels().stream().sorted().toList());
      parts.add(nodes(wrongGpuModel) + " no " + allowed);
    }
    if (tooFewFreeGpus > 0) {
      parts.add(
          nodes(tooFewFreeGpus)
              + " fewer than "
              + pod.gpuCount()
              + " completely free GPU"
              + (pod.gpuCount() == 1 ? "" : "s"));
    }
    if (noGpuWithEnoughShare > 0) {
      parts.add(
          nodes(noGpuWithEnoughShare)
              + " no GPU with "
              + pod.gpuMilli() / 10.0
              + " % of its capacity free");
    }
    String why = parts.isEmpty() ? "the cluster has no nodes" : String.join("; ", parts);
    return "0 of " + nodes + " nodes can run " + pod.name() + ": " + why + ".";
  }

  private static String nodes(int n) {
    return n == 1 ? "1 node has" : n + " nodes have";
  }

  private static String cores(long milli) {
    return milli % 1000 == 0 ? milli / 1000 + " cores" : milli / 1000.0 + " cores";
  }
}
