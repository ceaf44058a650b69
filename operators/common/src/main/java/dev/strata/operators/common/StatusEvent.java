package dev.strata.operators.common;

/**
 * An Event a job controller owes users because a condition changed, with a reason from the
 * controller's own enum.
 */
public record StatusEvent(boolean warning, Enum<?> reason, String message) {}
