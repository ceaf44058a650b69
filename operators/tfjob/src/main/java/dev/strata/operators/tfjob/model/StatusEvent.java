package dev.strata.operators.tfjob.model;

import dev.strata.operators.tfjob.TFJobReason;

/** An Event the controller owes users because a condition changed. */
public record StatusEvent(boolean warning, TFJobReason reason, String message) {}
