package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A history-based policy that knows nothing in advance: it is rebuilt from the pods that have
 * arrived so far. Relearning from every arrival would invalidate every cached score every time, so
 * it relearns at 16, 32, 64, ... arrivals and then every {@value #RELEARN_EVERY}; before the first
 * lesson every node scores alike.
 */
public final class LearnedOnline implements ScoringPolicy, LearnsFromArrivals {

  static final int RELEARN_EVERY = 128;

  private final String name;
  private final Function<List<PodRequest>, ScoringPolicy> fromHistory;
  private final List<PodRequest> seen = new ArrayList<>();
  private ScoringPolicy current;
  private int nextLesson = 16;
  private long generation;

  public LearnedOnline(String name, Function<List<PodRequest>, ScoringPolicy> fromHistory) {
    this.name = name;
    this.fromHistory = fromHistory;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void arrived(PodRequest pod) {
    seen.add(pod);
    if (seen.size() >= nextLesson) {
      current = fromHistory.apply(List.copyOf(seen));
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
