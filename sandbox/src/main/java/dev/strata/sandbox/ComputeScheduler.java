package dev.strata.sandbox;

import dev.strata.scheduler.core.TenantQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The compute cluster's scheduler as the sandbox runs it (Strata's standalone scheduler, the same
 * code as production), seen through what the sandbox needs: start, stop, and where its
 * kube-scheduler extender front listens.
 */
public interface ComputeScheduler extends AutoCloseable {
  void start();

  /** The extender's base URL, or null when this scheduler serves none. */
  default String extenderUrl() {
    return null;
  }

  @Override
  void close();

  /** Makes the scheduler for a compute cluster. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param compute a client of the compute cluster's API server
     * @param extenderPort the port for the extender front; 0 for any free port
     * @param quotas each tenant's GPU quota for its HIGH work
     */
    ComputeScheduler create(KubernetesClient compute, int extenderPort, List<TenantQuota> quotas);
  }
}
