package dev.strata.operators.mpijob;

/** Every reason the MPIJob controller gives in conditions and Events, as upstream names them. */
public enum MPIJobReason {
  MPIJobCreated,
  MPIJobRunning,
  MPIJobSucceeded,
  MPIJobFailed,
  MPIJobEvicted,
  MPIJobSuspended,
  MPIJobResumed,
  MPIJobRestarting,
  /** The spec breaks a rule; the message lists every problem. */
  ValidationError,
  /** An object with the name the job needs exists and belongs to someone else. */
  ErrResourceExists,
  /** activeDeadlineSeconds passed before the job finished. */
  DeadlineExceeded,
  /** ttlSecondsAfterFinished passed: the job was deleted. */
  TTLExpired
}
