package dev.strata.api.common;

/** The status of a condition, as in core/v1 ConditionStatus. Names are the wire values. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
