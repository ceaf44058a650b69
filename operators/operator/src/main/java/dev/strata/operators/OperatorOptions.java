package dev.strata.operators;

import java.util.Set;

/**
 * How the operator process runs.
 *
 * @param controllers which controllers to run: "mpijob", "tfjob"
 * @param namespaces the namespaces to watch; empty for all
 * @param gangByDefault gang metadata on every job's pods, not only on jobs with a schedulingPolicy
 * @param reconcileThreads how many jobs are reconciled at once
 */
public record OperatorOptions(
    Set<String> controllers, Set<String> namespaces, boolean gangByDefault, int reconcileThreads) {
  public static final String MPIJOB = "mpijob";
  public static final String TFJOB = "tfjob";

  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(MPIJOB), Set.of(), true, 16);
  }
}
