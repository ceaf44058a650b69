package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;

/**
 * A policy under another name, for names kept so that configurations naming them still work (for
 * example {@code StrataTopology}, the same as {@code StrataCpuAware} since topology moved into the
 * core's gang placement). Everything but the name is the wrapped policy's.
 */
final class Renamed implements ScoringPolicy {

  private final String name;
  private final ScoringPolicy inner;

  Renamed(String name, ScoringPolicy inner) {
    this.name = name;
    this.inner = inner;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    return inner.score(pod, node);
  }

  @Override
  public void normalize(long[] scores, int count) {
    inner.normalize(scores, count);
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    return inner.shareGpu(pod, node);
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return inner.scoresOnlyFreeResources();
  }

  @Override
  public long generation() {
    return inner.generation();
  }
}
