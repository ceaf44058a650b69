package dev.strata.api.validation;

import dev.strata.api.common.ManagedBy;
import dev.strata.api.common.RestartPolicy;
import dev.strata.api.common.RunPolicy;
import dev.strata.api.tfjob.SuccessPolicy;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFJobDefaults;
import dev.strata.api.tfjob.TFJobNames;
import dev.strata.api.tfjob.TFJobSpec;
import dev.strata.api.tfjob.TFReplicaSpec;
import dev.strata.api.tfjob.TFReplicaType;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything kubeflow/training-operator v1 checks on a TFJob, plus what its CRD enumerates and the
 * names the job implies. Replica types are matched ignoring case, as upstream's defaulting does;
 * the field paths name the keys as the user wrote them. Returns every problem, never throws.
 */
public final class TFJobValidator {
  private static final List<String> REPLICA_TYPES = EnumNames.of(TFReplicaType.values());
  private static final List<String> RESTART_POLICIES = EnumNames.of(RestartPolicy.values());
  private static final List<String> SUCCESS_POLICIES =
      List.of(SuccessPolicy.DEFAULT, SuccessPolicy.ALL_WORKERS);
  private static final List<String> MANAGED_BY =
      List.of(ManagedBy.TRAINING_OPERATOR, ManagedBy.MULTIKUEUE);

  private static final FieldPath RUN_POLICY_PATH = FieldPath.of("spec").child("runPolicy");

  private TFJobValidator() {}

  public static List<FieldError> validate(TFJob job) {
    List<FieldError> errors = new ArrayList<>();
    TFJobSpec spec = job.getSpec() == null ? new TFJobSpec() : job.getSpec();
    String name = job.getMetadata() == null ? null : job.getMetadata().getName();
    FieldPath specPath = FieldPath.of("spec");
    validateName(name, errors);
    validateReplicaSpecs(name, spec.getTfReplicaSpecs(), specPath.child("tfReplicaSpecs"), errors);
    errors.addAll(
        RunPolicyValidation.validate(spec.getRunPolicy(), specPath.child("runPolicy"), MANAGED_BY));
    if (spec.getSuccessPolicy() != null && !SUCCESS_POLICIES.contains(spec.getSuccessPolicy())) {
      errors.add(
          FieldError.notSupported(
              specPath.child("successPolicy"), spec.getSuccessPolicy(), SUCCESS_POLICIES));
    }
    return errors;
  }

  /** Problems with changing {@code old} into {@code updated}, on top of validating it. */
  public static List<FieldError> validateUpdate(TFJob old, TFJob updated) {
    List<FieldError> errors = new ArrayList<>(validate(updated));
    errors.addAll(
        RunPolicyValidation.validateUpdate(
            runPolicy(old.getSpec()), runPolicy(updated.getSpec()), RUN_POLICY_PATH));
    return errors;
  }

  private static RunPolicy runPolicy(TFJobSpec spec) {
    return spec == null ? null : spec.getRunPolicy();
  }

  private static void validateName(String name, List<FieldError> errors) {
    FieldPath path = FieldPath.of("metadata").child("name");
    if (name == null || name.isEmpty()) {
      errors.add(FieldError.required(path, "must be set"));
      return;
    }
    List<String> problems = Dns1035.problems(name);
    if (!problems.isEmpty()) {
      errors.add(FieldError.invalid(path, name, "should match: " + String.join(", ", problems)));
    }
  }

  private static void validateReplicaSpecs(
      String name, Map<String, TFReplicaSpec> specs, FieldPath path, List<FieldError> errors) {
    if (specs == null || specs.isEmpty()) {
      errors.add(FieldError.required(path, "must have at least one replica spec"));
      return;
    }
    Map<TFReplicaType, String> seen = new HashMap<>();
    int chiefs = 0;
    for (Map.Entry<String, TFReplicaSpec> entry : specs.entrySet()) {
      String key = entry.getKey();
      FieldPath replicaPath = path.key(key);
      Optional<TFReplicaType> type = TFReplicaType.parse(key);
      if (type.isEmpty()) {
        errors.add(FieldError.notSupported(replicaPath, key, REPLICA_TYPES));
        continue;
      }
      String earlier = seen.put(type.get(), key);
      if (earlier != null) {
        errors.add(
            FieldError.duplicate(
                replicaPath, key, "the same replica type as " + earlier + " in other letter case"));
      }
      if (type.get().isChiefOrMaster()) {
        chiefs++;
      }
      validateReplica(name, type.get(), entry.getValue(), replicaPath, errors);
    }
    if (chiefs > 1) {
      errors.add(FieldError.forbidden(path, "must not have more than 1 Chief or Master role"));
    }
  }

  private static void validateReplica(
      String name,
      TFReplicaType type,
      TFReplicaSpec replica,
      FieldPath path,
      List<FieldError> errors) {
    FieldPath containersPath = path.child("template").child("spec").child("containers");
    if (replica == null) {
      errors.add(FieldError.required(path, "must be set"));
      return;
    }
    if (replica.getReplicas() != null && replica.getReplicas() < 0) {
      errors.add(
          FieldError.invalid(
              path.child("replicas"), replica.getReplicas(), "must be greater than or equal to 0"));
    }
    String restart = replica.getRestartPolicy();
    if (restart != null && !restart.isEmpty() && !RESTART_POLICIES.contains(restart)) {
      errors.add(FieldError.notSupported(path.child("restartPolicy"), restart, RESTART_POLICIES));
    }
    List<Container> containers =
        replica.getTemplate() == null || replica.getTemplate().getSpec() == null
            ? null
            : replica.getTemplate().getSpec().getContainers();
    if (containers == null || containers.isEmpty()) {
      errors.add(FieldError.required(containersPath, "must be specified"));
    } else {
      for (int i = 0; i < containers.size(); i++) {
        String image = containers.get(i).getImage();
        if (image == null || image.isEmpty()) {
          errors.add(FieldError.required(containersPath.index(i).child("image"), "must be set"));
        }
      }
      if (containers.stream().noneMatch(c -> TFJobDefaults.CONTAINER_NAME.equals(c.getName()))) {
        errors.add(
            FieldError.required(
                containersPath, "must have at least one container with name tensorflow"));
      }
    }
    if (name != null && Dns1035.isLabel(name)) {
      int count =
          replica.getReplicas() != null && replica.getReplicas() > 0 ? replica.getReplicas() : 1;
      String last = TFJobNames.replica(name, type.name(), count - 1);
      List<String> problems = Dns1035.problems(last);
      if (!problems.isEmpty()) {
        errors.add(
            FieldError.invalid(
                FieldPath.of("metadata").child("name"),
                name,
                "pods and services of this job would get the invalid DNS-1035 label \""
                    + last
                    + "\": "
                    + String.join(", ", problems)));
      }
    }
  }
}
