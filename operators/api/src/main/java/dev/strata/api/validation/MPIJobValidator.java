package dev.strata.api.validation;

import dev.strata.api.common.ManagedBy;
import dev.strata.api.common.RunPolicy;
import dev.strata.api.mpijob.LauncherCreationPolicy;
import dev.strata.api.mpijob.MPIImplementation;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobDefaults;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.api.mpijob.MPIJobSpec;
import dev.strata.api.mpijob.MPIReplicaSpec;
import dev.strata.api.mpijob.MPIReplicaType;
import dev.strata.api.mpijob.MPIRestartPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything kubeflow/mpi-operator v2beta1 checks before it acts on an MPIJob, plus what its CRD
 * enumerates. Like upstream it judges the defaulted spec, so a field left out is judged by its
 * default. Returns every problem, never throws.
 */
public final class MPIJobValidator {
  private static final List<String> REPLICA_TYPES = EnumNames.of(MPIReplicaType.values());
  private static final List<String> RESTART_POLICIES = EnumNames.of(MPIRestartPolicy.values());
  private static final List<String> IMPLEMENTATIONS = EnumNames.of(MPIImplementation.values());
  private static final List<String> LAUNCHER_POLICIES =
      EnumNames.of(LauncherCreationPolicy.values());
  private static final List<String> MANAGED_BY =
      List.of(ManagedBy.MPI_OPERATOR, ManagedBy.MULTIKUEUE);

  private static final FieldPath RUN_POLICY_PATH = FieldPath.of("spec").child("runPolicy");

  private MPIJobValidator() {}

  public static List<FieldError> validate(MPIJob job) {
    MPIJob defaulted = MPIJobDefaults.withDefaults(job);
    MPIJobSpec spec = defaulted.getSpec();
    List<FieldError> errors = new ArrayList<>();
    validateName(defaulted, errors);
    FieldPath specPath = FieldPath.of("spec");
    validateReplicaSpecs(spec.getMpiReplicaSpecs(), specPath.child("mpiReplicaSpecs"), errors);
    RunPolicyValidation.nonNegative(
        errors, specPath.child("slotsPerWorker"), spec.getSlotsPerWorker());
    errors.addAll(
        RunPolicyValidation.validate(spec.getRunPolicy(), specPath.child("runPolicy"), MANAGED_BY));
    if (!IMPLEMENTATIONS.contains(spec.getMpiImplementation())) {
      errors.add(
          FieldError.notSupported(
              specPath.child("mpiImplementation"), spec.getMpiImplementation(), IMPLEMENTATIONS));
    }
    if (!LAUNCHER_POLICIES.contains(spec.getLauncherCreationPolicy())) {
      errors.add(
          FieldError.notSupported(
              specPath.child("launcherCreationPolicy"),
              spec.getLauncherCreationPolicy(),
              LAUNCHER_POLICIES));
    }
    return errors;
  }

  /** Problems with changing {@code old} into {@code updated}, on top of validating it. */
  public static List<FieldError> validateUpdate(MPIJob old, MPIJob updated) {
    List<FieldError> errors = new ArrayList<>(validate(updated));
    errors.addAll(
        RunPolicyValidation.validateUpdate(
            runPolicy(old.getSpec()), runPolicy(updated.getSpec()), RUN_POLICY_PATH));
    return errors;
  }

  /** The longest name a job implies is its last worker's, which must be a DNS-1035 label. */
  private static RunPolicy runPolicy(MPIJobSpec spec) {
    return spec == null ? null : spec.getRunPolicy();
  }

  private static void validateName(MPIJob job, List<FieldError> errors) {
    String name = job.getMetadata() == null ? null : job.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      errors.add(FieldError.required(FieldPath.of("metadata").child("name"), "must be set"));
      return;
    }
    Map<String, MPIReplicaSpec> specs = job.getSpec().getMpiReplicaSpecs();
    MPIReplicaSpec worker = specs == null ? null : specs.get(MPIReplicaType.Worker.name());
    int workers =
        worker != null && worker.getReplicas() != null && worker.getReplicas() > 0
            ? worker.getReplicas()
            : 1;
    String lastWorker = MPIJobNames.worker(name, workers - 1);
    List<String> problems = Dns1035.problems(lastWorker);
    if (!problems.isEmpty()) {
      errors.add(
          FieldError.invalid(
              FieldPath.of("metadata").child("name"),
              name,
              "pods and services of this job would get the invalid DNS-1035 label \""
                  + lastWorker
                  + "\": "
                  + String.join(", ", problems)));
    }
  }

  private static void validateReplicaSpecs(
      Map<String, MPIReplicaSpec> specs, FieldPath path, List<FieldError> errors) {
    if (specs == null) {
      errors.add(FieldError.required(path, "must have replica specs"));
      return;
    }
    for (String key : specs.keySet()) {
      if (!REPLICA_TYPES.contains(key)) {
        errors.add(FieldError.notSupported(path.key(key), key, REPLICA_TYPES));
      }
    }
    MPIReplicaSpec launcher = specs.get(MPIReplicaType.Launcher.name());
    FieldPath launcherPath = path.key(MPIReplicaType.Launcher.name());
    if (launcher == null) {
      errors.add(FieldError.required(launcherPath, "must have Launcher replica spec"));
    } else {
      validateReplica(launcher, launcherPath, errors);
      if (launcher.getReplicas() != null && launcher.getReplicas() != 1) {
        errors.add(
            FieldError.invalid(
                launcherPath.child("replicas"), launcher.getReplicas(), "must be 1"));
      }
    }
    MPIReplicaSpec worker = specs.get(MPIReplicaType.Worker.name());
    if (worker != null) {
      FieldPath workerPath = path.key(MPIReplicaType.Worker.name());
      validateReplica(worker, workerPath, errors);
      if (worker.getReplicas() != null && worker.getReplicas() <= 0) {
        errors.add(
            FieldError.invalid(
                workerPath.child("replicas"),
                worker.getReplicas(),
                "must be greater than or equal to 1"));
      }
    }
  }

  private static void validateReplica(
      MPIReplicaSpec replica, FieldPath path, List<FieldError> errors) {
    if (!RESTART_POLICIES.contains(replica.getRestartPolicy())) {
      errors.add(
          FieldError.notSupported(
              path.child("restartPolicy"), replica.getRestartPolicy(), RESTART_POLICIES));
    }
    if (replica.getTemplate() == null
        || replica.getTemplate().getSpec() == null
        || replica.getTemplate().getSpec().getContainers() == null
        || replica.getTemplate().getSpec().getContainers().isEmpty()) {
      errors.add(
          FieldError.required(
              path.child("template").child("spec").child("containers"),
              "must define at least one container"));
    }
  }
}
