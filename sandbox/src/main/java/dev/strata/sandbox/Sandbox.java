package dev.strata.sandbox;

import dev.strata.operators.OperatorOptions;
import dev.strata.operators.StrataOperator;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.sandbox.sim.BatchJobStandIn;
import dev.strata.sandbox.sim.ComputeNodeInventory;
import dev.strata.sandbox.sim.NodeSimulator;
import dev.strata.sandbox.sim.TenantBinderStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one process: a compute cluster of simulated GPU nodes with its scheduler,
 * and per tenant a cluster with the job controllers, the stand-ins for what kube-scheduler and
 * kube-controller-manager would do there, and the virtual node into the compute cluster.
 *
 * <p>Start order follows the data: API servers, then what stores state in them (nodes, CRDs), then
 * the components that act on it; close goes in reverse.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
  public static final String COMPUTE = "compute";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, ApiServer> tenants = new LinkedHashMap<>();
  private ApiServer compute;
  private ComputeScheduler scheduler;

  private Sandbox() {}

  public static Sandbox start(SandboxOptions options, SandboxParts parts) {
    Sandbox sandbox = new Sandbox();
    try {
      sandbox.startAll(options, parts);
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  private void startAll(SandboxOptions options, SandboxParts parts) {
    compute = track(parts.apiServers().start(COMPUTE));
    KubernetesClient computeClient = compute.client();
    ComputeNodeInventory.createIn(computeClient, options.nodes());
    SandboxTiers.createPriorityClassesIn(computeClient);
    track(NodeSimulator.start(computeClient));
    scheduler =
        track(
            parts
                .scheduler()
                .create(
                    computeClient,
                    options.extenderPort(),
                    SandboxTiers.quotas(options.tenants(), options.nodes())));
    scheduler.start();

    for (String tenant : options.tenants()) {
      ApiServer server = track(parts.apiServers().start(tenantContext(tenant)));
      tenants.put(tenant, server);
      KubernetesClient client = server.client();
      SandboxTiers.createPriorityClassesIn(client);
      track(
          StrataOperator.start(
              client,
              new OperatorOptions(
                  Set.of(OperatorOptions.MPIJOB, OperatorOptions.TFJOB),
                  Set.of(),
                  JobPodPolicy.platform(),
                  4)));
      track(BatchJobStandIn.start(client));
      track(TenantBinderStandIn.start(client, options.tolerateVirtualNode()));
      VirtualNodeBridge bridge = track(parts.virtualNode().create(tenant, client, computeClient));
      bridge.start();
    }
    log.info(
        "sandbox up: compute cluster with {} ({}), tenants {}",
        options.nodes(),
        compute.url(),
        options.tenants());
  }

  public static String tenantContext(String tenant) {
    return "tenant-" + tenant;
  }

  public ApiServer compute() {
    return compute;
  }

  /** The tenant clusters, by tenant name, in the order given. */
  public Map<String, ApiServer> tenants() {
    return java.util.Collections.unmodifiableMap(tenants);
  }

  /** The scheduler extender's URL, or null when the plugged-in scheduler serves none. */
  public String extenderUrl() {
    return scheduler == null ? null : scheduler.extenderUrl();
  }

  /** Writes a kubeconfig with one context per tenant cluster and one for the compute cluster. */
  public void writeKubeconfig(Path file) throws IOException {
    Map<String, String> servers = new LinkedHashMap<>();
    tenants.values().forEach(s -> servers.put(s.name(), s.url()));
    servers.put(compute.name(), compute.url());
    Kubeconfigs.write(file, servers);
  }

  private <T extends AutoCloseable> T track(T part) {
    running.push(part);
    return part;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable part = running.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
