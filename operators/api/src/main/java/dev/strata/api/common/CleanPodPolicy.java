package dev.strata.api.common;

/** Which pods to delete when a job finishes. Constant names are the wire values. */
public enum CleanPodPolicy {
  All,
  Running,
  None
}
