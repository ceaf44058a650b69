package dev.strata.scheduler.core;

import java.util.Set;

/** Small builders for hand-made clusters in tests. */
public final class Nodes {

  private Nodes() {}

  public static NodeSpec node(String name, int gpus, String model) {
    return new NodeSpec(name, 64_000, 256 * 1024, gpus, model);
  }

  public static PodRequest gpuPod(String name, long cpu, int gpus, int milli) {
    return new PodRequest(name, cpu, 1024, gpus, milli, Set.of());
  }
}
