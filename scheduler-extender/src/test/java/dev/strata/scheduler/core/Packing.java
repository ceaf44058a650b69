package dev.strata.scheduler.core;

/** A simple packing policy for scheduler tests: fewest free GPUs, then least free CPU. */
final class Packing implements ScoringPolicy {

  static Placer placer(int nodes) {
    return new Placer(new Packing(), TieBreak.nodeOrder(nodes));
  }

  @Override
  public String name() {
    return "packing";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    return -node.totalGpuFree() * 1_000_000 - node.cpuFree();
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }
}
