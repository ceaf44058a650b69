package dev.strata.scheduler.core;

/**
 * Why a gang cannot start: the first member that found no node once the members before it were
 * placed, with that member's per-node reasons. Nothing of the gang is placed.
 *
 * @param memberIndex position of the member in {@link Gang#members()}; also how many were placed
 *     before it in the trial
 * @param requiredSwitch for a gang with {@link TopologyMode#REQUIRED}, which one-switch attempt the
 *     member and reasons come from; null when the gang was tried on the whole cluster
 */
public record GangUnschedulable(
    Gang gang, int memberIndex, Unschedulable why, RequiredSwitch requiredSwitch)
    implements GangDecision {

  /**
   * A {@link TopologyMode#REQUIRED} gang fits under none of the cluster's {@code switches}
   * switches; {@code closest} is the one where most members fit (null when no node has a switch
   * label), and the member and reasons describe the trial under it.
   */
  public record RequiredSwitch(int switches, String closest) {}

  public GangUnschedulable(Gang gang, int memberIndex, Unschedulable why) {
    this(gang, memberIndex, why, null);
  }

  public PodRequest member() {
    return gang.members().get(memberIndex);
  }

  /** One sentence, e.g. "gang train cannot start: member w2 (after 2 of 4 placed) ...". */
  public String describe() {
    if (requiredSwitch != null) {
      return describeRequiredSwitch();
    }
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

  private String describeRequiredSwitch() {
    String lead =
        "gang "
            + gang.name()
            + " cannot start: it requires one RoCE switch ("
            + TopologyMode.ANNOTATION
            + ": required) and ";
    if (requiredSwitch.closest() == null) {
      return lead
          + "no node carries the "
          + NodeSpec.SWITCH_LABEL
          + " label, so no switch is known to hold it.";
    }
    return lead
        + "does not fit under one switch (of "
        + requiredSwitch.switches()
        + "). Under switch "
        + requiredSwitch.closest()
        + ", where most members fit, member "
        + member().name()
        + " finds no node after "
        + memberIndex
        + " of "
        + gang.size()
        + " members are placed. "
        + why.describe();
  }
}
