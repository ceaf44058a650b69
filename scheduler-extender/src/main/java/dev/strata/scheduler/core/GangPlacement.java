package dev.strata.scheduler.core;

import java.util.List;

/**
 * Where every member of a gang goes, in member order. Binding all of them onto the cluster state
 * the decision was made on is guaranteed to succeed.
 */
public record GangPlacement(Gang gang, List<Placement> placements) implements GangDecision {

  public GangPlacement {
    placements = List.copyOf(placements);
    if (placements.size() != gang.size()) {
      throw new IllegalArgumentException(
          "gang "
              + gang.name()
              + " has "
              + gang.size()
              + " members, "
              + placements.size()
              + " placed");
    }
  }
}
