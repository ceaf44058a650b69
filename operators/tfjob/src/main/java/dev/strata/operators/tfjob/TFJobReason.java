package dev.strata.operators.tfjob;

/** Every reason the TFJob controller gives in conditions and Events. */
public enum TFJobReason {
  TFJobCreated,
  TFJobRunning,
  TFJobSucceeded,
  /** A replica failed for good (restart policy Never, or ExitCode with a permanent exit code). */
  TFJobFailed,
  /**
   * The controller deleted failed pods to recreate them (ExitCode, or a pod the kubelet gave up).
   */
  TFJobRestarting,
  TFJobSuspended,
  TFJobResumed,
  /** The spec breaks a rule; the message lists every problem. */
  ValidationError,
  /** An object with the name the job needs exists and belongs to someone else. */
  ErrResourceExists,
  /** activeDeadlineSeconds passed before the job finished. */
  DeadlineExceeded,
  /** The job's pods were restarted more often than backoffLimit allows. */
  BackoffLimitExceeded
}
