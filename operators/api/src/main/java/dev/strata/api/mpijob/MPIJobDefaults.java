package dev.strata.api.mpijob;

import dev.strata.api.common.Copies;
import dev.strata.api.common.RunPolicyDefaults;

/**
 * The defaults kubeflow/mpi-operator v2beta1 applies before it validates and reconciles a job, and
 * those its CRD declares (runLauncherAsWorker, suspend), so the controller sees one complete spec.
 */
public final class MPIJobDefaults {
  public static final int SLOTS_PER_WORKER = 1;
  public static final String SSH_AUTH_MOUNT_PATH = "/root/.ssh";

  private MPIJobDefaults() {}

  /** A defaulted deep copy; the argument is left as it was. */
  public static MPIJob withDefaults(MPIJob job) {
    MPIJob copy = Copies.deepCopy(job);
    if (copy.getSpec() == null) {
      copy.setSpec(new MPIJobSpec());
    }
    apply(copy.getSpec());
    return copy;
  }

  private static void apply(MPIJobSpec spec) {
    spec.setRunPolicy(RunPolicyDefaults.applyTo(spec.getRunPolicy()));
    if (spec.getSlotsPerWorker() == null) {
      spec.setSlotsPerWorker(SLOTS_PER_WORKER);
    }
    if (spec.getRunLauncherAsWorker() == null) {
      spec.setRunLauncherAsWorker(false);
    }
    if (isEmpty(spec.getSshAuthMountPath())) {
      spec.setSshAuthMountPath(SSH_AUTH_MOUNT_PATH);
    }
    if (isEmpty(spec.getMpiImplementation())) {
      spec.setMpiImplementation(MPIImplementation.OpenMPI.name());
    }
    if (isEmpty(spec.getLauncherCreationPolicy())) {
      spec.setLauncherCreationPolicy(LauncherCreationPolicy.AtStartup.name());
    }
    if (spec.getMpiReplicaSpecs() == null) {
      return;
    }
    MPIReplicaSpec launcher = spec.getMpiReplicaSpecs().get(MPIReplicaType.Launcher.name());
    if (launcher != null) {
      defaultReplica(launcher, MPIRestartPolicy.OnFailure, 1);
    }
    MPIReplicaSpec worker = spec.getMpiReplicaSpecs().get(MPIReplicaType.Worker.name());
    if (worker != null) {
      // Upstream defaults missing worker replicas to 0, which validation then rejects: a worker
      // spec must say how many workers it wants.
      defaultReplica(worker, MPIRestartPolicy.Never, 0);
    }
  }

  private static void defaultReplica(MPIReplicaSpec replica, MPIRestartPolicy restart, int count) {
    if (isEmpty(replica.getRestartPolicy())) {
      replica.setRestartPolicy(restart.name());
    }
    if (replica.getReplicas() == null) {
      replica.setReplicas(count);
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
