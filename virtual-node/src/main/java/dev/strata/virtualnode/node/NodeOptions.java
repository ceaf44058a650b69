package dev.strata.virtualnode.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the virtual node presents itself and how often it checks on the compute cluster.
 *
 * @param tenant the tenant this node serves (label on the node)
 * @param nodeName the Node's name in the tenant cluster, also the Lease's name
 * @param computeClusterName the compute cluster's name (label on the node)
 * @param nodeIp the address the tenant API server reaches the kubelet endpoints on
 * @param kubeletPort the port of the kubelet endpoints (daemonEndpoints.kubeletEndpoint.Port)
 * @param computeNamespaces the tenant's namespaces in the compute cluster, whose ResourceQuotas
 *     bound the node's capacity; empty: only the compute nodes count
 * @param computeNodeSelector labels a compute node must carry to count towards capacity
 * @param leaseDuration the Lease's leaseDurationSeconds
 * @param leaseRenewInterval how often the Lease is renewed (kubelet: 10 s)
 * @param probeInterval how often the compute cluster is asked for quotas and nodes
 * @param probeTimeout how long one probe may take before it counts as failed
 * @param unreachableAfter without a successful probe for this long, the node turns NotReady
 * @param statusReportInterval the node status is written at least this often, else on change
 * @param kubeletVersion reported in status.nodeInfo.kubeletVersion
 */
public record NodeOptions(
    String tenant,
    String nodeName,
    String computeClusterName,
    String nodeIp,
    int kubeletPort,
    List<String> computeNamespaces,
    Map<String, String> computeNodeSelector,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration probeInterval,
    Duration probeTimeout,
    Duration unreachableAfter,
    Duration statusReportInterval,
    String kubeletVersion) {

  public static final String DEFAULT_KUBELET_VERSION = "v1.31.0-strata";

  public NodeOptions {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(computeClusterName, "computeClusterName");
    computeNamespaces = List.copyOf(computeNamespaces);
    computeNodeSelector = Map.copyOf(computeNodeSelector);
  }

  /**
   * Production timings: Lease every 10 s for 40 s (as a kubelet), probe every 5 s with a 3 s
   * timeout, NotReady after 20 s without an answer, so well within 40 s of losing the cluster.
   */
  public static NodeOptions defaults(
      String tenant, String nodeName, String computeClusterName, String nodeIp, int kubeletPort) {
    return new NodeOptions(
        tenant,
        nodeName,
        computeClusterName,
        nodeIp,
        kubeletPort,
        List.of(),
        Map.of(),
        Duration.ofSeconds(40),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(3),
        Duration.ofSeconds(20),
        Duration.ofMinutes(1),
        DEFAULT_KUBELET_VERSION);
  }

  public NodeOptions withComputeNamespaces(List<String> namespaces) {
    return new NodeOptions(
        tenant,
        nodeName,
        computeClusterName,
        nodeIp,
        kubeletPort,
        namespaces,
        computeNodeSelector,
        leaseDuration,
        leaseRenewInterval,
        probeInterval,
        probeTimeout,
        unreachableAfter,
        statusReportInterval,
        kubeletVersion);
  }

  public NodeOptions withComputeNodeSelector(Map<String, String> selector) {
    return new NodeOptions(
        tenant,
        nodeName,
        computeClusterName,
        nodeIp,
        kubeletPort,
        computeNamespaces,
        selector,
        leaseDuration,
        leaseRenewInterval,
        probeInterval,
        probeTimeout,
        unreachableAfter,
        statusReportInterval,
        kubeletVersion);
  }

  /** The same node advertising another kubelet port (the one its endpoints are bound to). */
  public NodeOptions withKubeletPort(int port) {
    return new NodeOptions(
        tenant,
        nodeName,
        computeClusterName,
        nodeIp,
        port,
        computeNamespaces,
        computeNodeSelector,
        leaseDuration,
        leaseRenewInterval,
        probeInterval,
        probeTimeout,
        unreachableAfter,
        statusReportInterval,
        kubeletVersion);
  }

  /** The same node with other timings; tests scale them down. */
  public NodeOptions withTimings(
      Duration leaseRenew,
      Duration probe,
      Duration timeout,
      Duration unreachable,
      Duration statusReport) {
    return new NodeOptions(
        tenant,
        nodeName,
        computeClusterName,
        nodeIp,
        kubeletPort,
        computeNamespaces,
        computeNodeSelector,
        leaseDuration,
        leaseRenew,
        probe,
        timeout,
        unreachable,
        statusReport,
        kubeletVersion);
  }
}
