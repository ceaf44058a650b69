package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CpuBalancedFgd} that knows nothing in advance: the typical-pod distribution and the CPU
 * per GPU are learned from the pods that have arrived so far. Relearning from every arrival would
 * invalidate every cached score every time, so it relearns at 16, 32, 64, ... arrivals and then
 * every {@value #RELEARN_EVERY}; before the first lesson every node scores alike.
 */
public final class OnlineCpuBalancedFgd implements ScoringPolicy, LearnsFromArrivals {

  static final int RELEARN_EVERY = 128;

  private final List<PodRequest> seen = new ArrayList<>();
  private CpuBalancedFgd current;
  private int nextLesson = 16;
  private long generation;

  @Override
  public String name() {
    return "StrataOnline";
  }

  @Override
  public void arrived(PodRequest pod) {
    seen.add(pod);
    if (seen.size() >= nextLesson) {
      current = CpuBalancedFgd.fromHistory(seen);
      generation++;
      nextLesson = nextLesson < RELEARN_EVERY ? nextLesson * 2 : nextLesson + RELEARN_EVERY;
    }
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    return current == null ? 0 : current.score(pod, node);
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    return current == null ? ScoringPolicy.super.shareGpu(pod, node) : current.shareGpu(pod, node);
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }

  @Override
  public long generation() {
    return generation;
  }
}
