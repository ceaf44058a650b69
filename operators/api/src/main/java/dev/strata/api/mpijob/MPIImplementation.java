package dev.strata.api.mpijob;

/** The MPI implementation the job's images carry. Constant names are the wire values. */
public enum MPIImplementation {
  OpenMPI,
  Intel,
  MPICH
}
