package dev.strata.sandbox;

import dev.strata.virtualnode.VirtualNode;
import dev.strata.virtualnode.forward.ComputeNamespaces;
import dev.strata.virtualnode.forward.ForwardingConfig;
import dev.strata.virtualnode.forward.PodForwarder;
import dev.strata.virtualnode.kubelet.LabelComputePodLocator;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Each tenant's virtual node in the sandbox: the production {@link VirtualNode} (Node, Lease,
 * capacity, kubelet endpoints) with the production {@link PodForwarder}, as {@code
 * strata-virtual-node} wires them (the forwarder reading the node's reachability), with three
 * sandbox choices:
 *
 * <ul>
 *   <li>the compute client is the sandbox's own, not fenced by the tenant-scope guard: the
 *       forwarder creates the tenant's compute namespaces and watches the compute cluster across
 *       namespaces, which on a real cluster the compute chart grants and the guard refuses;
 *   <li>the kubelet endpoints listen on 127.0.0.1, any free port, plain HTTP;
 *   <li>the node is named {@value #NODE_NAME} after the compute cluster, as the process names it.
 * </ul>
 */
public final class StrataVirtualNodes implements VirtualNodeBridge.Factory {
  /** The compute cluster's name, as the virtual node labels and names itself after it. */
  public static final String COMPUTE_CLUSTER_NAME = Sandbox.COMPUTE;

  public static final String NODE_NAME = "strata-" + COMPUTE_CLUSTER_NAME;

  /** The compute namespace the virtual node of {@code tenant} puts a tenant namespace's pods in. */
  public static String computeNamespace(String tenant, String namespace) {
    return ComputeNamespaces.of(ForwardingConfig.defaults(tenant, NODE_NAME)).of(namespace);
  }

  @Override
  public VirtualNodeBridge create(
      String tenant, KubernetesClient tenantCluster, KubernetesClient computeCluster) {
    return new VirtualNodeBridge() {
      private VirtualNode node;

      @Override
      public void start() {
        ForwardingConfig forwarding =
            ForwardingConfig.defaults(tenant, NODE_NAME)
                .withPriorityClassTiers(SandboxTiers.priorityClassTiers());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NodeOptions options =
            NodeOptions.defaults(
                tenant, NODE_NAME, COMPUTE_CLUSTER_NAME, loopback.getHostAddress(), 0);
        try {
          node =
              VirtualNode.start(
                  tenantCluster,
                  computeCluster,
                  options,
                  new InetSocketAddress(loopback, 0),
                  null,
                  new LabelComputePodLocator(
                      computeCluster, tenant, ComputeNamespaces.of(forwarding)::of),
                  n ->
                      new PodForwarder(tenantCluster, computeCluster, forwarding, n.reachability())
                          .start());
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(
              "virtual node of tenant " + tenant + ": " + e.getMessage(), e);
        }
      }

      @Override
      public void close() {
        if (node != null) {
          node.close();
        }
      }
    };
  }
}
