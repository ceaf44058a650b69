package dev.strata.virtualnode;

import dev.strata.virtualnode.kubelet.ComputePodLocator;
import dev.strata.virtualnode.kubelet.KubeletServer;
import dev.strata.virtualnode.node.NodeController;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running virtual node: the Node and its Lease, the kubelet endpoints, and pod forwarding.
 * Closing it stops them in reverse order; the Node stays registered (and turns NotReady on its own
 * when the Lease lapses), as a restarting kubelet's would.
 */
public final class VirtualNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualNode.class);

  /** Starts pod forwarding once the node is up; what it returns is closed on shutdown. */
  @FunctionalInterface
  public interface Forwarding {
    AutoCloseable start(NodeController node) throws Exception;
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private VirtualNode() {}

  public static VirtualNode start(
      KubernetesClient tenant,
      KubernetesClient compute,
      NodeOptions options,
      InetSocketAddress kubeletAddress,
      SSLContext kubeletTls,
      ComputePodLocator locator,
      Forwarding forwarding)
      throws Exception {
    // The endpoints first: the Node advertises the port they are bound to, so port 0 (any free
    // port, as the sandbox asks) still tells the API server where to call.
    KubeletServer kubelet =
        KubeletServer.start(
            kubeletAddress, kubeletTls, tenant, compute, options.nodeName(), locator);
    NodeController node;
    try {
      node =
          new NodeController(
                  tenant, compute, options.withKubeletPort(kubelet.port()), Clock.systemUTC())
              .start();
    } catch (RuntimeException e) {
      kubelet.close();
      throw e;
    }
    VirtualNode virtualNode = new VirtualNode();
    virtualNode.started.push(node);
    virtualNode.started.push(kubelet);
    try {
      virtualNode.started.push(forwarding.start(node));
    } catch (Exception e) {
      virtualNode.close();
      throw e;
    }
    return virtualNode;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", e.getMessage());
      }
    }
  }
}
