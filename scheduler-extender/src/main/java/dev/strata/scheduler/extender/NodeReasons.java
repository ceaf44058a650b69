package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.Feasibility;
import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Why one node cannot take one pod, in the words of the core's {@code Unschedulable} explanations.
 * kube-scheduler counts identical reasons across nodes ("0/8 nodes are available: 5 too little free
 * CPU ..."), so a reason names no node.
 */
final class NodeReasons {

  private NodeReasons() {}

  static String describe(PodRequest pod, int reasons) {
    List<String> parts = new ArrayList<>();
    if (has(reasons, Feasibility.Shortfall.CPU)) {
      parts.add("too little free CPU (needs " + cores(pod.cpuMilli()) + ")");
    }
    if (has(reasons, Feasibility.Shortfall.MEMORY)) {
      parts.add("too little free memory (needs " + pod.memoryMib() + " MiB)");
    }
    if (has(reasons, Feasibility.Shortfall.GPU_MODEL)) {
      parts.add(
          pod.allowedGpuModels().isEmpty()
              ? "no GPUs"
              : "no GPU of model "
                  + String.join(" or ", pod.allowedGpuModels().stream().sorted().toList()));
    }
    if (has(reasons, Feasibility.Shortfall.GPU_COUNT)) {
      parts.add(
          "fewer than "
              + pod.gpuCount()
              + " completely free GPU"
              + (pod.gpuCount() == 1 ? "" : "s"));
    }
    if (has(reasons, Feasibility.Shortfall.GPU_SHARE)) {
      parts.add("no GPU with " + pod.gpuMilli() / 10.0 + " % of its capacity free");
    }
    return "Strata: " + String.join("; ", parts);
  }

  private static boolean has(int reasons, Feasibility.Shortfall shortfall) {
    return (reasons & (1 << shortfall.ordinal())) != 0;
  }

  private static String cores(long milli) {
    return milli % 1000 == 0 ? milli / 1000 + " cores" : milli / 1000.0 + " cores";
  }
}
