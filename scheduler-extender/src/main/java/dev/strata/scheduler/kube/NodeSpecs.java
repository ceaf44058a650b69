package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NvLinkGroups;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Kubernetes {@link Node} as the core's {@link NodeSpec}: allocatable {@code cpu}, {@code
 * memory} and {@value KubeKeys#GPU_RESOURCE}, the model from label {@value
 * KubeKeys#GPU_MODEL_LABEL}, all labels carried (rack, switch) and the NVLink annotation copied
 * into the labels under its own key so topology code finds everything in one map.
 *
 * <p>A node new pods must not go to is {@link Translation.Rejected} with the reason: cordoned
 * ({@code spec.unschedulable}), Ready condition not True, or a taint with effect {@code NoSchedule}
 * or {@code NoExecute}. Tolerations are not matched: GPU nodes for Strata's pods carry no such
 * taints, and a tainted node is left to the scheduler of the pods that tolerate it. A node that
 * reports no Ready condition at all (as nodes made by hand or by the sandbox) is taken as ready;
 * the node controller taints a node whose kubelet stops reporting.
 */
public final class NodeSpecs {

  private NodeSpecs() {}

  /** The nodes usable for scheduling in name order, and why each other node is left out. */
  public record Usable(List<NodeSpec> nodes, Map<String, String> excluded) {
    public Usable {
      nodes = List.copyOf(nodes);
      excluded = Map.copyOf(excluded);
    }
  }

  public static Translation<NodeSpec> from(Node node) {
    String name = node.getMetadata() == null ? null : node.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      return Translation.rejected("node has no name");
    }
    String unusable = unusable(node);
    if (unusable != null) {
      return Translation.rejected("node " + name + " " + unusable);
    }
    Map<String, Quantity> allocatable =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    try {
      long cpu = Quantities.cpuMilli(Quantities.amount("cpu", allocatable.get("cpu")), false);
      long memory = Quantities.mib(Quantities.amount("memory", allocatable.get("memory")), false);
      int gpus =
          Quantities.whole(
              KubeKeys.GPU_RESOURCE,
              Quantities.amount(KubeKeys.GPU_RESOURCE, allocatable.get(KubeKeys.GPU_RESOURCE)));
      Map<String, String> labels = new LinkedHashMap<>();
      if (node.getMetadata().getLabels() != null) {
        labels.putAll(node.getMetadata().getLabels());
      }
      Map<String, String> annotations = node.getMetadata().getAnnotations();
      NvLinkGroups nvLink = NvLinkGroups.NONE;
      if (annotations != null && annotations.containsKey(KubeKeys.NVLINK_GROUPS_ANNOTATION)) {
        String groups = annotations.get(KubeKeys.NVLINK_GROUPS_ANNOTATION);
        labels.put(KubeKeys.NVLINK_GROUPS_ANNOTATION, groups);
        try {
          nvLink = NvLinkGroups.parse(groups);
        } catch (IllegalArgumentException e) {
          return Translation.rejected(
              "node "
                  + name
                  + " has a bad "
                  + KubeKeys.NVLINK_GROUPS_ANNOTATION
                  + ": "
                  + e.getMessage());
        }
      }
      try {
        return Translation.ok(
            new NodeSpec(
                name, cpu, memory, gpus, labels.get(KubeKeys.GPU_MODEL_LABEL), labels, nvLink));
      } catch (IllegalArgumentException e) {
        return Translation.rejected("node " + name + ": " + e.getMessage());
      }
    } catch (Quantities.BadQuantity | ArithmeticException e) {
      return Translation.rejected(
          "node " + name + " has a bad allocatable resource: " + e.getMessage());
    }
  }

  /** Every node that reads as usable, in name order, and the reasons for the rest. */
  public static Usable usable(List<Node> nodes) {
    List<NodeSpec> specs = new ArrayList<>();
    Map<String, String> excluded = new LinkedHashMap<>();
    for (Node node : nodes) {
      Translation<NodeSpec> t = from(node);
      if (t instanceof Translation.Ok<NodeSpec> ok) {
        specs.add(ok.value());
      } else {
        String name = node.getMetadata() == null ? "" : node.getMetadata().getName();
        excluded.put(name == null ? "" : name, t.reason());
      }
    }
    specs.sort(Comparator.comparing(NodeSpec::name));
    return new Usable(specs, excluded);
  }

  private static String unusable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return "is cordoned (spec.unschedulable)";
    }
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      for (NodeCondition condition : node.getStatus().getConditions()) {
        if ("Ready".equals(condition.getType()) && !"True".equals(condition.getStatus())) {
          return "is not Ready (Ready=" + condition.getStatus() + ")";
        }
      }
    }
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        if ("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect())) {
          return "has taint "
              + taint.getKey()
              + (taint.getValue() == null ? "" : "=" + taint.getValue())
              + ":"
              + taint.getEffect();
        }
      }
    }
    return null;
  }
}
