package dev.strata.api.common;

/**
 * The run-policy defaults both Kubeflow controllers apply (clean up no pods) and the one both CRDs
 * declare (not suspended).
 */
public final class RunPolicyDefaults {
  private RunPolicyDefaults() {}

  /** {@code policy} with its defaults filled in, or a new defaulted policy when it is null. */
  public static RunPolicy applyTo(RunPolicy policy) {
    RunPolicy defaulted = policy == null ? new RunPolicy() : policy;
    if (defaulted.getCleanPodPolicy() == null) {
      defaulted.setCleanPodPolicy(CleanPodPolicy.None.name());
    }
    if (defaulted.getSuspend() == null) {
      defaulted.setSuspend(false);
    }
    return defaulted;
  }
}
