package dev.strata.scheduler.core;

/** The outcome of placing a {@link Gang}: every member placed, or none and why not. */
public sealed interface GangDecision permits GangPlacement, GangUnschedulable {}
