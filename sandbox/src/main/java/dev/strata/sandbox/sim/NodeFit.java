package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a pod may go to a node, by the rules kube-scheduler's filters apply that matter for the
 * platform's pods: unschedulable nodes, taints and tolerations (NoSchedule, NoExecute),
 * nodeSelector and required node affinity. Pure. Each refusal is kube-scheduler's wording, so that
 * the pending reason reads as on a real cluster.
 */
public final class NodeFit {
  public static final String UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";

  private NodeFit() {}

  /**
   * @param implicitToleration treat taints with this key as tolerated (a sandbox setting); null for
   *     none
   * @return why the pod may not go to the node, or empty when it may
   */
  public static Optional<String> refusal(Pod pod, Node node, String implicitToleration) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return Optional.of(UNSCHEDULABLE);
    }
    List<Taint> taints =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints();
    for (Taint taint : taints) {
      if ("PreferNoSchedule".equals(taint.getEffect())) {
        continue;
      }
      if (taint.getKey().equals(implicitToleration) || tolerated(pod, taint)) {
        continue;
      }
      return Optional.of(
          "node(s) had untolerated taint {"
              + taint.getKey()
              + (taint.getValue() == null || taint.getValue().isEmpty()
                  ? ""
                  : ": " + taint.getValue())
              + "}");
    }
    if (!matchesSelector(pod, node) || !matchesRequiredAffinity(pod, node)) {
      return Optional.of(AFFINITY);
    }
    return Optional.empty();
  }

  static boolean tolerated(Pod pod, Taint taint) {
    List<Toleration> tolerations =
        pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    return tolerations.stream().anyMatch(t -> tolerates(t, taint));
  }

  /** The API's ToleratesTaint: an empty key with Exists tolerates everything. */
  static boolean tolerates(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null
        && !toleration.getEffect().isEmpty()
        && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey();
    String operator = toleration.getOperator() == null ? "Equal" : toleration.getOperator();
    if (key == null || key.isEmpty()) {
      return "Exists".equals(operator);
    }
    if (!key.equals(taint.getKey())) {
      return false;
    }
    if ("Exists".equals(operator)) {
      return true;
    }
    String value = toleration.getValue() == null ? "" : toleration.getValue();
    String taintValue = taint.getValue() == null ? "" : taint.getValue();
    return "Equal".equals(operator) && value.equals(taintValue);
  }

  private static boolean matchesSelector(Pod pod, Node node) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = labels(node);
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Terms are ORed, a term's expressions ANDed; no terms at all matches nothing. */
  private static boolean matchesRequiredAffinity(Pod pod, Node node) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        affinity
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return false;
    }
    return terms.stream().anyMatch(t -> matches(t, node));
  }

  private static boolean matches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> expressions =
        term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields =
        term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false; // an empty term matches no objects
    }
    Map<String, String> labels = labels(node);
    Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
    return expressions.stream().allMatch(r -> matches(r, labels))
        && fields.stream().allMatch(r -> matches(r, nodeFields));
  }

  static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, values) > 0;
      case "Lt" -> compare(value, values) < 0;
      default -> false;
    };
  }

  /** Gt/Lt compare integers; anything unparsable matches neither. */
  private static int compare(String value, List<String> values) {
    if (value == null || values.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }
}
