package dev.strata.virtualnode;

import dev.strata.virtualnode.forward.ComputeNamespaces;
import dev.strata.virtualnode.forward.ForwardingConfig;
import dev.strata.virtualnode.forward.PodForwarder;
import dev.strata.virtualnode.isolation.ComputeClients;
import dev.strata.virtualnode.isolation.TenantScope;
import dev.strata.virtualnode.kubelet.KubeletTls;
import dev.strata.virtualnode.kubelet.LabelComputePodLocator;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata-virtual-node}: one tenant's virtual node into one compute cluster. */
@Command(
    name = "strata-virtual-node",
    mixinStandardHelpOptions = true,
    description =
        "Registers a virtual node in the tenant cluster and runs its pods in a compute cluster.")
public final class VirtualNodeMain implements Callable<Integer> {
  @Option(names = "--tenant", required = true, description = "The tenant's name.")
  String tenant;

  @Option(
      names = "--node-name",
      description = "The Node's name (default: strata-<compute-cluster-name>).")
  String nodeName;

  @Option(
      names = "--tenant-kubeconfig",
      description = "Kubeconfig of the tenant cluster (default: in-cluster or ~/.kube/config).")
  Path tenantKubeconfig;

  @Option(
      names = "--compute-kubeconfig",
      required = true,
      description = "Kubeconfig with the tenant's credentials for the compute cluster.")
  Path computeKubeconfig;

  @Option(
      names = "--compute-cluster-name",
      required = true,
      description = "The compute cluster's name.")
  String computeClusterName;

  @Option(
      names = "--namespace-prefix",
      description =
          "Prefix of the tenant's namespaces in the compute cluster (default: <tenant>-). With"
              + " --compute-namespaces, tenant namespace N maps to <prefix>N, as the compute chart"
              + " names them.")
  String namespacePrefix;

  @Option(
      names = "--compute-namespaces",
      split = ",",
      description =
          "The tenant's compute namespaces, as the compute chart provisions them"
              + " (<prefix><tenant namespace>); required. The node forwards a pod of tenant"
              + " namespace N only into <prefix>N when it is listed (else a Warning Event, the pod"
              + " stays Pending), watches each listed namespace, creates none, and their"
              + " ResourceQuotas bound its capacity. (Creating compute namespaces on demand needs"
              + " cluster-wide rights that tenant credentials refuse; only the sandbox does it.)")
  List<String> computeNamespaces = List.of();

  @Option(
      names = "--compute-node-selector",
      split = ",",
      description = "key=value labels a compute node must carry to count towards capacity.")
  Map<String, String> computeNodeSelector = new LinkedHashMap<>();

  @Option(
      names = "--tier-map",
      split = ",",
      description = "Tenant priority class to compute tier, e.g. prod=high,batch=low (forwarding).")
  Map<String, String> tierMap = new LinkedHashMap<>();

  @Option(
      names = "--grace-period",
      defaultValue = "PT5M",
      description =
          "How long the compute cluster may be away before forwarded pods fail (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration gracePeriod;

  @Option(
      names = "--kubelet-port",
      defaultValue = "10250",
      description = "Port of the kubelet endpoints (default: ${DEFAULT-VALUE}).")
  int kubeletPort;

  @Option(
      names = "--node-ip",
      description =
          "InternalIP the API server calls the kubelet endpoints on (default: $POD_IP, else this host's address).")
  String nodeIp;

  @Option(
      names = "--tls-cert-file",
      description =
          "PEM certificate of the kubelet endpoints; without it they speak plain HTTP (sandbox only).")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", description = "PEM private key for --tls-cert-file.")
  Path tlsPrivateKeyFile;

  @Option(
      names = "--client-ca-file",
      description = "PEM CA bundle that signs accepted client certificates.")
  Path clientCaFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new VirtualNodeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AutoCloseable running;
    try {
      running = start();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // Stop inside the hook: the JVM halts once hooks return.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.close();
                  } catch (Exception e) {
                    System.err.println("stopping failed: " + e.getMessage());
                  }
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  /** The tenant's compute namespace prefix, as the compute chart names namespaces. */
  private String prefix() {
    return namespacePrefix == null ? tenant + "-" : namespacePrefix;
  }

  /** Builds the clients and starts the virtual node; closing the result stops it all. */
  AutoCloseable start() throws Exception {
    String prefix = prefix();
    String node = nodeName == null ? "strata-" + computeClusterName : nodeName;
    if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
      throw new IllegalArgumentException("--tls-cert-file and --tls-private-key-file go together");
    }
    if (computeNamespaces.isEmpty()) {
      throw new IllegalArgumentException(
          "--compute-namespaces is required: list the tenant's compute namespaces as the compute"
              + " chart provisions them (<prefix><tenant namespace>, e.g. "
              + prefix
              + "default); tenant credentials cannot create or watch namespaces cluster-wide");
    }
    TenantScope scope = new TenantScope(tenant, prefix);
    for (String namespace : computeNamespaces) {
      if (!scope.ownsNamespace(namespace)) {
        throw new IllegalArgumentException(
            "compute namespace "
                + namespace
                + " does not start with the tenant's prefix "
                + prefix);
      }
    }
    SSLContext tls =
        tlsCertFile == null
            ? null
            : KubeletTls.context(tlsCertFile, tlsPrivateKeyFile, clientCaFile);

    KubernetesClient tenantClient =
        new KubernetesClientBuilder()
            .withConfig(config(tenantKubeconfig))
            // Vert.x, chosen explicitly: with two HTTP clients on the classpath fabric8 picks
            // either.
            .withHttpClientFactory(new VertxHttpClientFactory())
            .build();
    KubernetesClient compute = ComputeClients.guarded(config(computeKubeconfig), scope);
    NodeOptions options =
        NodeOptions.defaults(tenant, node, computeClusterName, nodeIp(), kubeletPort)
            .withComputeNamespaces(computeNamespaces)
            .withComputeNodeSelector(computeNodeSelector);

    ForwardingConfig forwarding = forwardingConfig(node);
    VirtualNode virtualNode;
    try {
      virtualNode =
          VirtualNode.start(
              tenantClient,
              compute,
              options,
              new InetSocketAddress(kubeletPort),
              tls,
              new LabelComputePodLocator(compute, tenant, ComputeNamespaces.of(forwarding)::of),
              forwarding(tenantClient, compute, forwarding));
    } catch (Exception e) {
      compute.close();
      tenantClient.close();
      throw e;
    }
    return () -> {
      virtualNode.close();
      compute.close();
      tenantClient.close();
    };
  }

  /** The forwarding settings these flags give. */
  ForwardingConfig forwardingConfig(String node) {
    ForwardingConfig config =
        ForwardingConfig.defaults(tenant, node)
            .withPriorityClassTiers(tierMap)
            .withTiming(gracePeriod, Duration.ofMinutes(1));
    // Names namespaces exactly as the compute chart does: <prefix><namespace>.
    return config.withComputeNamespaces(computeNamespaces, prefix() + "{namespace}");
  }

  /**
   * Forwarding starts once the Node is registered, so pods never arrive at a missing node, and
   * reads the node's reachability, so that Ready and forwarding agree on an outage.
   */
  private VirtualNode.Forwarding forwarding(
      KubernetesClient tenantClient, KubernetesClient compute, ForwardingConfig config) {
    return node -> new PodForwarder(tenantClient, compute, config, node.reachability()).start();
  }

  private static Config config(Path kubeconfig) throws IOException {
    if (kubeconfig == null) {
      return Config.autoConfigure(null);
    }
    return Config.fromKubeconfig(Files.readString(kubeconfig));
  }

  private String nodeIp() throws IOException {
    if (nodeIp != null) {
      return nodeIp;
    }
    String podIp = System.getenv("POD_IP");
    return podIp != null && !podIp.isBlank() ? podIp : InetAddress.getLocalHost().getHostAddress();
  }
}
