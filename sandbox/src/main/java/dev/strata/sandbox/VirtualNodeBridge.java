package dev.strata.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One tenant cluster's virtual node as the sandbox runs it: registers the Node in the tenant
 * cluster and forwards the pods bound to it into the compute cluster, status coming back.
 */
public interface VirtualNodeBridge extends AutoCloseable {
  void start();

  @Override
  void close();

  /** Makes the virtual node of one tenant. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param tenant the tenant's name, as in {@code --tenants}
     * @param tenantCluster a client of the tenant cluster's API server
     * @param computeCluster a client of the compute cluster's API server
     */
    VirtualNodeBridge create(
        String tenant, KubernetesClient tenantCluster, KubernetesClient computeCluster);
  }
}
