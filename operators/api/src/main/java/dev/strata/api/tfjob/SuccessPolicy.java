package dev.strata.api.tfjob;

/** When a TFJob without a chief succeeds. The wire values are "" and "AllWorkers". */
public final class SuccessPolicy {
  /** Worker 0 completing ends the job successfully. */
  public static final String DEFAULT = "";

  /** Every worker must complete. */
  public static final String ALL_WORKERS = "AllWorkers";

  private SuccessPolicy() {}
}
