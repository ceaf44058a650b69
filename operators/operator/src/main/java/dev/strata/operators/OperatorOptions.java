package dev.strata.operators;

import dev.strata.operators.common.JobPodPolicy;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Set;

/**
 * How the operator process runs.
 *
 * @param controllers which controllers to run: "mpijob", "tfjob"
 * @param namespaces the namespaces to watch; empty for all
 * @param podPolicy what the controllers add to every job pod (gang metadata, tolerations)
 * @param reconcileThreads how many jobs are reconciled at once
 * @param leaderElection the Lease replicas elect a leader with (only the leader reconciles); null
 *     for a single process without one
 */
public record OperatorOptions(
    Set<String> controllers,
    Set<String> namespaces,
    JobPodPolicy podPolicy,
    int reconcileThreads,
    LeaderElectionConfiguration leaderElection) {

  public OperatorOptions(
      Set<String> controllers,
      Set<String> namespaces,
      JobPodPolicy podPolicy,
      int reconcileThreads) {
    this(controllers, namespaces, podPolicy, reconcileThreads, null);
  }

  public static final String MPIJOB = "mpijob";
  public static final String TFJOB = "tfjob";

  public static OperatorOptions defaults() {
    return new OperatorOptions(Set.of(MPIJOB), Set.of(), JobPodPolicy.platform(), 16);
  }
}
