package dev.strata.api.common;

/**
 * How a replica's pods are restarted. {@code ExitCode} restarts on exit codes 128 and above
 * (signals, such as 137 for SIGKILL) and fails the job on 1-127. Constant names are the wire
 * values.
 */
public enum RestartPolicy {
  Always,
  OnFailure,
  Never,
  ExitCode
}
