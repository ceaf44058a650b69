package dev.strata.scheduler.core;

/**
 * The outcome of placing one pod: a {@link Placement} or the reasons it is {@link Unschedulable}.
 */
public sealed interface Decision permits Placement, Unschedulable {}
