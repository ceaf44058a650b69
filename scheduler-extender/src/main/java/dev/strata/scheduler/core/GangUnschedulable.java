package dev.strata.scheduler.core;

/**
 * Why a gang cannot start: the first member that found no node once the members before it were
 * placed, with that member's per-node reasons. Nothing of the gang is placed.
 *
 * @param memberIndex position of the member in {@link Gang#members()}; also how many were placed
 *     before it in the trial
 */
public record GangUnschedulable(Gang gang, int memberIndex, Unschedulable why)
    implements GangDecision {

  public PodRequest member() {
    return gang.members().get(memberIndex);
  }

  /** One sentence, e.g. "gang train cannot start: member w2 (after 2 of 4 placed) ...". */
  public String describe() {
    String lead =
        gang.size() == 1
            ? ""
            : "gang "
                + gang.name()
                + " cannot start: member "
                + member().name()
                + " finds no node after "
                + memberIndex
                + " of "
                + gang.size()
                + " members are placed, and a gang starts whole or not at all. ";
    return lead + why.describe();
  }
}
