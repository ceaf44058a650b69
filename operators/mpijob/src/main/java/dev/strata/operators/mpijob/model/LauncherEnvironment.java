package dev.strata.operators.mpijob.model;

import dev.strata.api.mpijob.MPIImplementation;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * The environment the launcher container needs so that plain {@code mpirun} finds the hostfile and
 * reaches the workers over SSH, per MPI implementation, with upstream's names and values.
 */
final class LauncherEnvironment {
  static final String CONFIG_MOUNT_PATH = "/etc/mpi";
  static final String HOSTFILE_PATH = CONFIG_MOUNT_PATH + "/hostfile";

  /** Workers may still be starting sshd when the launcher connects: retry instead of failing. */
  private static final String SSH_EXTRA_ARGS = "-o ConnectionAttempts=10";

  private LauncherEnvironment() {}

  static List<EnvVar> of(String implementation, int slotsPerWorker, boolean launcherIsWorker) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar(MPIJobModel.ROLE_ENV, MPIJobModel.ROLE_LAUNCHER, null));
    switch (MPIImplementation.valueOf(implementation)) {
      case OpenMPI -> {
        // Hostnames must stay as written: Open MPI would shorten them to the first label.
        env.add(new EnvVar("OMPI_MCA_orte_keep_fqdn_hostnames", "true", null));
        env.add(new EnvVar("OMPI_MCA_orte_default_hostfile", HOSTFILE_PATH, null));
        env.add(new EnvVar("OMPI_MCA_plm_rsh_args", SSH_EXTRA_ARGS, null));
        env.add(
            new EnvVar("OMPI_MCA_orte_set_default_slots", Integer.toString(slotsPerWorker), null));
      }
      case Intel -> {
        env.add(new EnvVar("I_MPI_HYDRA_HOST_FILE", HOSTFILE_PATH, null));
        env.add(new EnvVar("I_MPI_HYDRA_BOOTSTRAP_EXEC_EXTRA_ARGS", SSH_EXTRA_ARGS, null));
        env.add(new EnvVar("I_MPI_PERHOST", Integer.toString(slotsPerWorker), null));
      }
      case MPICH -> {
        env.add(new EnvVar("HYDRA_HOST_FILE", HOSTFILE_PATH, null));
        env.add(new EnvVar("HYDRA_LAUNCH_EXTRA_ARGS", SSH_EXTRA_ARGS, null));
      }
    }
    if (!launcherIsWorker) {
      // A launcher that is not a rank needs no GPU: hide any the node's runtime would inject.
      env.add(new EnvVar("NVIDIA_VISIBLE_DEVICES", "", null));
      env.add(new EnvVar("NVIDIA_DRIVER_CAPABILITIES", "", null));
    }
    return env;
  }
}
