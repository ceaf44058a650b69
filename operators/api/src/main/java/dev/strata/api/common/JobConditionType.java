package dev.strata.api.common;

/** The condition types a job reports in {@code status.conditions}. Names are the wire values. */
public enum JobConditionType {
  Created,
  Running,
  Restarting,
  Succeeded,
  Suspended,
  Failed
}
