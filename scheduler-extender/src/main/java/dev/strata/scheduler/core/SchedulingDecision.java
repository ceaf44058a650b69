package dev.strata.scheduler.core;

import java.util.List;

/**
 * What the {@link Scheduler} decided for one gang: admit it (after evicting the victims, if any) or
 * leave it pending with a reason in words.
 */
public sealed interface SchedulingDecision {

  Gang gang();

  /**
   * Start the gang at {@code placements}, once every pod in {@code victims} has been evicted. The
   * placements are valid on the snapshot with the victims removed.
   *
   * @param victims whole gangs, ordered by gang name then pod name; empty when nothing is preempted
   */
  record Admit(Gang gang, List<Placement> placements, List<RunningPod> victims)
      implements SchedulingDecision {
    public Admit {
      placements = List.copyOf(placements);
      victims = List.copyOf(victims);
    }

    /** Names of the preempted gangs, each once, in order. */
    public List<String> victimGangs() {
      return victims.stream().map(RunningPod::gang).distinct().toList();
    }
  }

  /** Nothing changes; {@code reason} says what stands in the way, for the user to read. */
  record Pending(Gang gang, String reason) implements SchedulingDecision {}
}
