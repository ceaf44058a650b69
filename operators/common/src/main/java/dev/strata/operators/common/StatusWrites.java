package dev.strata.operators.common;

import dev.strata.api.common.JobStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.function.Supplier;

/**
 * Writes a job's status and keeps the written object in java-operator-sdk's cache, so a reconcile
 * that a pod event triggers before the status' own watch event arrives sees it (and does not set
 * Created, with its Event, a second time).
 *
 * <p>The write is an update of the status subresource carrying the cached resource version, not a
 * JSON merge patch: fabric8's CRUD mock server merges arrays in a merge patch by appending (real
 * API servers replace them, as RFC 7386 says), which doubled {@code status.conditions}. A stale
 * cache costs a 409 and a retried reconcile instead.
 */
public final class StatusWrites {
  private StatusWrites() {}

  public static <P extends CustomResource<?, JobStatus>> void write(
      P job, Context<P> context, JobStatus status, Supplier<P> newInstance) {
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        job,
        context,
        current -> {
          P statusOnly = newInstance.get();
          statusOnly.setMetadata(current.getMetadata());
          statusOnly.setStatus(status);
          return statusOnly;
        });
  }
}
