package dev.strata.api.mpijob;

/**
 * The restart policies an MPIJob replica accepts: upstream's validation allows only these two, so
 * the CRD schema enumerates them.
 */
public enum MPIRestartPolicy {
  Never,
  OnFailure
}
