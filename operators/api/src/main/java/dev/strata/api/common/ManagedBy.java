package dev.strata.api.common;

/**
 * Values of {@code spec.runPolicy.managedBy}. A job naming another controller is left to it (Kueue
 * MultiKueue dispatches jobs to worker clusters and mirrors their status back).
 */
public final class ManagedBy {
  public static final String MPI_OPERATOR = "kubeflow.org/mpi-operator";
  public static final String TRAINING_OPERATOR = "kubeflow.org/training-operator";
  public static final String MULTIKUEUE = "kueue.x-k8s.io/multikueue";

  private ManagedBy() {}

  /** Whether {@code policy} names a controller other than {@code ours}; absent means ours. */
  public static boolean isAnother(RunPolicy policy, String ours) {
    String managedBy = policy == null ? null : policy.getManagedBy();
    return managedBy != null && !ours.equals(managedBy);
  }
}
