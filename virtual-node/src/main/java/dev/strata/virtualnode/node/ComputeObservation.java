package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Map;

/**
 * One probe of the compute cluster: when, and either the capacity read or why it failed.
 *
 * @param at when the probe finished
 * @param capacity what the tenant may use; null when the probe failed
 * @param failureReason a CamelCase reason when the probe failed, else null
 * @param failureMessage what went wrong, for the Ready condition's message
 */
public record ComputeObservation(
    Instant at, Map<String, Quantity> capacity, String failureReason, String failureMessage) {
  /** The compute cluster did not answer: connection refused, reset, or timed out. */
  public static final String UNREACHABLE = "ComputeClusterUnreachable";

  /** The compute cluster answered but refused the node's credentials (401 or 403). */
  public static final String CREDENTIALS_REJECTED = "ComputeCredentialsRejected";

  /** The compute cluster answered with another error. */
  public static final String ERROR = "ComputeClusterError";

  public static ComputeObservation answered(Instant at, Map<String, Quantity> capacity) {
    return new ComputeObservation(at, Map.copyOf(capacity), null, null);
  }

  public static ComputeObservation failed(Instant at, String reason, String message) {
    return new ComputeObservation(at, null, reason, message);
  }

  public boolean succeeded() {
    return failureReason == null;
  }
}
