package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the compute cluster for what capacity needs: the ResourceQuotas of the tenant's namespaces
 * and the nodes. The answer doubles as the reachability check: Ready means this read succeeds.
 * Reading the nodes may be forbidden (the compute chart grants it by default); then only quotas
 * count.
 */
public final class ComputeProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeProbe.class);

  private final KubernetesClient compute;
  private final NodeOptions options;
  private final Clock clock;
  // One thread: a probe that hangs past its timeout is abandoned, not stacked up behind.
  private final ExecutorService calls =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "compute-probe");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean nodesForbiddenLogged;

  public ComputeProbe(KubernetesClient compute, NodeOptions options, Clock clock) {
    this.compute = compute;
    this.options = options;
    this.clock = clock;
  }

  public ComputeObservation probe() {
    Future<ComputeObservation> call = calls.submit(this::read);
    try {
      return call.get(options.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return ComputeObservation.failed(
          clock.instant(),
          ComputeObservation.UNREACHABLE,
          "compute cluster "
              + options.computeClusterName()
              + " did not answer within "
              + options.probeTimeout().toMillis()
              + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComputeObservation.failed(
          clock.instant(), ComputeObservation.UNREACHABLE, "interrupted");
    } catch (ExecutionException e) {
      return failure(e.getCause());
    }
  }

  private ComputeObservation read() {
    // An answer is dated when the probe was sent: it says nothing of what happened after.
    Instant sent = clock.instant();
    List<ResourceQuota> quotas = new ArrayList<>();
    for (String namespace : options.computeNamespaces()) {
      quotas.addAll(compute.resourceQuotas().inNamespace(namespace).list().getItems());
    }
    List<Node> nodes = readNodes();
    return ComputeObservation.answered(
        sent,
        CapacityCalculator.capacity(
            quotas, options.computeNamespaces(), nodes, options.computeNodeSelector()));
  }

  private List<Node> readNodes() {
    try {
      return compute.nodes().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && !options.computeNamespaces().isEmpty()) {
        if (!nodesForbiddenLogged) {
          nodesForbiddenLogged = true;
          LOG.warn("may not read the compute cluster's nodes; capacity comes from quotas only");
        }
        return null;
      }
      throw e;
    }
  }

  private ComputeObservation failure(Throwable cause) {
    String name = options.computeClusterName();
    if (cause instanceof KubernetesClientException kce && kce.getCode() > 0) {
      int code = kce.getCode();
      String reason =
          code == 401 || code == 403
              ? ComputeObservation.CREDENTIALS_REJECTED
              : ComputeObservation.ERROR;
      return ComputeObservation.failed(
          clock.instant(),
          reason,
          "compute cluster " + name + " answered " + code + ": " + firstLine(kce.getMessage()));
    }
    return ComputeObservation.failed(
        clock.instant(),
        ComputeObservation.UNREACHABLE,
        "compute cluster " + name + " unreachable: " + firstLine(rootMessage(cause)));
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
