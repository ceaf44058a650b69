package dev.strata.operators.mpijob.model;

import dev.strata.operators.mpijob.MPIJobReason;

/** An Event the controller owes users because a condition changed. */
public record StatusEvent(boolean warning, MPIJobReason reason, String message) {}
