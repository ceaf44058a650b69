package dev.strata.sandbox.cli;

import dev.strata.api.common.JobStatus;
import io.fabric8.kubernetes.client.CustomResource;

/** A job the demo submitted, to follow in its tenant cluster. */
public record SubmittedJob(
    String tenant,
    String namespace,
    String name,
    Class<? extends CustomResource<?, JobStatus>> type) {
  public String kind() {
    return type.getSimpleName();
  }
}
