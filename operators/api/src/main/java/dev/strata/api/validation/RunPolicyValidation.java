package dev.strata.api.validation;

import dev.strata.api.common.CleanPodPolicy;
import dev.strata.api.common.RunPolicy;
import dev.strata.api.common.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks of {@code spec.runPolicy} that MPIJob and TFJob share. */
public final class RunPolicyValidation {
  private static final List<String> CLEAN_POD_POLICIES = EnumNames.of(CleanPodPolicy.values());

  private RunPolicyValidation() {}

  /**
   * @param managedByValues the controllers that may own the kind; any other value is refused
   */
  public static List<FieldError> validate(
      RunPolicy policy, FieldPath path, List<String> managedByValues) {
    List<FieldError> errors = new ArrayList<>();
    if (policy == null) {
      return errors;
    }
    if (policy.getCleanPodPolicy() != null
        && !CLEAN_POD_POLICIES.contains(policy.getCleanPodPolicy())) {
      errors.add(
          FieldError.notSupported(
              path.child("cleanPodPolicy"), policy.getCleanPodPolicy(), CLEAN_POD_POLICIES));
    }
    nonNegative(errors, path.child("ttlSecondsAfterFinished"), policy.getTtlSecondsAfterFinished());
    nonNegative(errors, path.child("activeDeadlineSeconds"), policy.getActiveDeadlineSeconds());
    nonNegative(errors, path.child("backoffLimit"), policy.getBackoffLimit());
    if (policy.getManagedBy() != null && !managedByValues.contains(policy.getManagedBy())) {
      errors.add(
          FieldError.notSupported(path.child("managedBy"), policy.getManagedBy(), managedByValues));
    }
    SchedulingPolicy scheduling = policy.getSchedulingPolicy();
    if (scheduling != null) {
      FieldPath schedulingPath = path.child("schedulingPolicy");
      nonNegative(errors, schedulingPath.child("minAvailable"), scheduling.getMinAvailable());
      nonNegative(
          errors,
          schedulingPath.child("scheduleTimeoutSeconds"),
          scheduling.getScheduleTimeoutSeconds());
    }
    return errors;
  }

  /** The run-policy fields that may not change once a job exists. */
  public static List<FieldError> validateUpdate(
      RunPolicy oldPolicy, RunPolicy newPolicy, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String oldManagedBy = oldPolicy == null ? null : oldPolicy.getManagedBy();
    String newManagedBy = newPolicy == null ? null : newPolicy.getManagedBy();
    if (!Objects.equals(oldManagedBy, newManagedBy)) {
      errors.add(FieldError.invalid(path.child("managedBy"), newManagedBy, "field is immutable"));
    }
    String oldQueue = queue(oldPolicy);
    String newQueue = queue(newPolicy);
    if (oldQueue != null && newQueue != null && !oldQueue.equals(newQueue)) {
      errors.add(
          FieldError.invalid(
              path.child("schedulingPolicy").child("queue"), newQueue, "field is immutable"));
    }
    return errors;
  }

  private static String queue(RunPolicy policy) {
    return policy == null || policy.getSchedulingPolicy() == null
        ? null
        : policy.getSchedulingPolicy().getQueue();
  }

  static void nonNegative(List<FieldError> errors, FieldPath path, Number value) {
    if (value != null && value.longValue() < 0) {
      errors.add(FieldError.invalid(path, value, "must be greater than or equal to 0"));
    }
  }
}
