package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the tenant may use in the compute cluster, as the virtual node's capacity. Pure: quotas and
 * nodes in, resources out.
 *
 * <p>Per resource: where every one of the tenant's compute namespaces has a ResourceQuota limit for
 * it, the sum over namespaces of the smallest limit in each (quotas in one namespace all apply);
 * otherwise the sum of allocatable of the compute nodes the tenant may use (schedulable, Ready,
 * matching the node selector). Other tenants' use is not subtracted: the tenant cannot see it
 * (isolation), and the compute scheduler queues or preempts when the cluster is full. GPUs are also
 * split by model into {@code strata.dev/gpu-<model>}, each at most the GPU total. Nothing is ever
 * negative.
 */
public final class CapacityCalculator {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PODS = "pods";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";

  /** Resources every node reports, zero when nothing is known of them. */
  private static final List<String> ALWAYS = List.of(CPU, MEMORY, PODS, NodeKeys.GPU_RESOURCE);

  private static final List<String> NODE_RESOURCES =
      List.of(CPU, MEMORY, PODS, EPHEMERAL_STORAGE, NodeKeys.GPU_RESOURCE);

  private CapacityCalculator() {}

  /**
   * @param quotas the ResourceQuotas of the tenant's compute namespaces
   * @param computeNamespaces the tenant's compute namespaces; a resource is bounded by quota only
   *     where each of them limits it
   * @param computeNodes the compute cluster's nodes, or null where the tenant may not read them
   * @param nodeSelector labels a node must carry to count
   */
  public static Map<String, Quantity> capacity(
      List<ResourceQuota> quotas,
      List<String> computeNamespaces,
      List<Node> computeNodes,
      Map<String, String> nodeSelector) {
    Map<String, BigDecimal> fromNodes =
        computeNodes == null ? Map.of() : sumNodes(computeNodes, nodeSelector);
    Map<String, BigDecimal> fromQuotas = quotaLimits(quotas, computeNamespaces);

    Map<String, BigDecimal> result = new TreeMap<>();
    for (String resource : ALWAYS) {
      result.put(resource, BigDecimal.ZERO);
    }
    result.putAll(fromNodes);
    result.putAll(fromQuotas);

    BigDecimal gpus = result.get(NodeKeys.GPU_RESOURCE);
    result.replaceAll(
        (resource, amount) -> {
          BigDecimal bounded =
              resource.startsWith(NodeKeys.GPU_MODEL_RESOURCE_PREFIX) && !isGpuMilli(resource)
                  ? amount.min(gpus)
                  : amount;
          return bounded.max(BigDecimal.ZERO);
        });

    Map<String, Quantity> quantities = new TreeMap<>();
    result.forEach((resource, amount) -> quantities.put(resource, quantity(amount)));
    return quantities;
  }

  private static boolean isGpuMilli(String resource) {
    return resource.equals("strata.dev/gpu-milli");
  }

  /** Allocatable summed over the nodes the tenant may use, with GPUs split by model. */
  static Map<String, BigDecimal> sumNodes(List<Node> nodes, Map<String, String> nodeSelector) {
    Map<String, BigDecimal> sum = new HashMap<>();
    for (Node node : nodes) {
      if (!usable(node, nodeSelector)) {
        continue;
      }
      Map<String, Quantity> allocatable =
          node.getStatus() == null || node.getStatus().getAllocatable() == null
              ? Map.of()
              : node.getStatus().getAllocatable();
      for (String resource : NODE_RESOURCES) {
        Quantity q = allocatable.get(resource);
        if (q != null) {
          sum.merge(resource, amount(q), BigDecimal::add);
        }
      }
      boolean modelResources = false;
      for (Map.Entry<String, Quantity> entry : allocatable.entrySet()) {
        if (entry.getKey().startsWith(NodeKeys.GPU_MODEL_RESOURCE_PREFIX)
            && !isGpuMilli(entry.getKey())) {
          // The node publishes its model as an extended resource already: take it as it is.
          sum.merge(entry.getKey(), amount(entry.getValue()), BigDecimal::add);
          modelResources = true;
        }
      }
      String model = labels(node).get(NodeKeys.GPU_MODEL_LABEL);
      Quantity gpus = allocatable.get(NodeKeys.GPU_RESOURCE);
      if (!modelResources && model != null && !model.isBlank() && gpus != null) {
        sum.merge(NodeKeys.gpuModelResource(model), amount(gpus), BigDecimal::add);
      }
    }
    return sum;
  }

  /** Schedulable, Ready, and carrying every label of the selector. */
  static boolean usable(Node node, Map<String, String> nodeSelector) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    Map<String, String> labels = labels(node);
    for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    List<NodeCondition> conditions =
        node.getStatus() == null ? null : node.getStatus().getConditions();
    if (conditions == null) {
      return false;
    }
    return conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Per resource, the sum over namespaces of each namespace's tightest limit, for the resources
   * every namespace limits.
   */
  static Map<String, BigDecimal> quotaLimits(
      List<ResourceQuota> quotas, List<String> computeNamespaces) {
    if (computeNamespaces.isEmpty()) {
      return Map.of();
    }
    Map<String, Map<String, BigDecimal>> byNamespace = new HashMap<>();
    for (ResourceQuota quota : quotas) {
      String namespace = quota.getMetadata().getNamespace();
      if (!computeNamespaces.contains(namespace) || quota.getSpec() == null) {
        continue;
      }
      Map<String, Quantity> hard = quota.getSpec().getHard();
      if (hard == null) {
        continue;
      }
      Map<String, BigDecimal> limits = byNamespace.computeIfAbsent(namespace, n -> new HashMap<>());
      hard.forEach(
          (key, value) -> {
            String resource = nodeResource(key);
            if (resource != null) {
              limits.merge(resource, amount(value), BigDecimal::min);
            }
          });
    }
    Map<String, BigDecimal> total = new HashMap<>();
    Map<String, Integer> limitedIn = new HashMap<>();
    for (Map<String, BigDecimal> limits : byNamespace.values()) {
      limits.forEach(
          (resource, amount) -> {
            total.merge(resource, amount, BigDecimal::add);
            limitedIn.merge(resource, 1, Integer::sum);
          });
    }
    int namespaces = (int) computeNamespaces.stream().distinct().count();
    total.keySet().removeIf(resource -> limitedIn.get(resource) < namespaces);
    return total;
  }

  /**
   * The node resource a quota key bounds: {@code requests.cpu} and {@code cpu} bound cpu, {@code
   * requests.nvidia.com/gpu} bounds GPUs, {@code requests.strata.dev/gpu-v100} V100s, {@code pods}
   * and {@code count/pods} pods; limits.* and object counts bound nothing here.
   */
  static String nodeResource(String quotaKey) {
    return switch (quotaKey) {
      case "cpu", "requests.cpu" -> CPU;
      case "memory", "requests.memory" -> MEMORY;
      case "ephemeral-storage", "requests.ephemeral-storage" -> EPHEMERAL_STORAGE;
      case "pods", "count/pods" -> PODS;
      default -> {
        if (quotaKey.startsWith("requests.") && quotaKey.contains("/")) {
          String resource = quotaKey.substring("requests.".length());
          yield resource.equals(NodeKeys.GPU_RESOURCE)
                  || resource.startsWith(NodeKeys.GPU_MODEL_RESOURCE_PREFIX)
              ? resource
              : null;
        }
        yield null;
      }
    };
  }

  private static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static BigDecimal amount(Quantity quantity) {
    return Quantity.getAmountInBytes(Objects.requireNonNull(quantity));
  }

  private static Quantity quantity(BigDecimal amount) {
    BigDecimal plain = amount.stripTrailingZeros();
    if (plain.scale() > 0) {
      // Fractions (CPU) as milli-units, the way Kubernetes writes them; finer parts round down.
      BigDecimal milli = plain.movePointRight(3).setScale(0, java.math.RoundingMode.DOWN);
      return new Quantity(milli.toPlainString() + "m");
    }
    return new Quantity(plain.toPlainString());
  }
}
