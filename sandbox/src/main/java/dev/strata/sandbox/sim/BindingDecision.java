package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the tenant-side stand-in puts a pod: the first node (by name) it fits, or why none fits in
 * kube-scheduler's words ({@code 0/2 nodes are available: 2 node(s) had untolerated taint {...}.}).
 * Pure.
 *
 * @param node the node to bind to, or null when the pod stays Pending
 * @param message why the pod stays Pending, or null when it is bound
 */
public record BindingDecision(String node, String message) {
  public static final String NO_NODES = "no nodes available to schedule pods";

  /**
   * @param missingClaim a PersistentVolumeClaim the pod uses that does not exist, if any
   */
  public static BindingDecision decide(
      Pod pod, List<Node> nodes, Optional<String> missingClaim, String implicitToleration) {
    if (nodes.isEmpty()) {
      return new BindingDecision(null, NO_NODES);
    }
    String available = "0/" + nodes.size() + " nodes are available: ";
    if (missingClaim.isPresent()) {
      // kube-scheduler's VolumeBinding PreFilter refuses before any node is looked at.
      return new BindingDecision(
          null, available + "persistentvolumeclaim \"" + missingClaim.get() + "\" not found.");
    }
    Map<String, Integer> refusals = new TreeMap<>();
    for (Node node :
        nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList()) {
      Optional<String> refusal = NodeFit.refusal(pod, node, implicitToleration);
      if (refusal.isEmpty()) {
        return new BindingDecision(node.getMetadata().getName(), null);
      }
      refusals.merge(refusal.get(), 1, Integer::sum);
    }
    return new BindingDecision(
        null,
        available
            + refusals.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "))
            + ".");
  }

  public boolean bound() {
    return node != null;
  }
}
