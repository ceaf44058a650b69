package dev.strata.api.mpijob;

/** The replica types of an MPIJob. Constant names are the keys of {@code mpiReplicaSpecs}. */
public enum MPIReplicaType {
  Launcher,
  Worker
}
