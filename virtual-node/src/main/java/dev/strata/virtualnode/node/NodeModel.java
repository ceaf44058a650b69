package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The virtual node's Node object, as a kubelet would report it. Pure: the previous Node (or null),
 * the options, the health and capacity in; the desired Node out. Labels and taints others added are
 * kept; ours are put back when removed.
 */
public final class NodeModel {
  public static final String READY = "Ready";
  public static final String MEMORY_PRESSURE = "MemoryPressure";
  public static final String DISK_PRESSURE = "DiskPressure";
  public static final String PID_PRESSURE = "PIDPressure";
  public static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";

  private NodeModel() {}

  public static Map<String, String> labels(NodeOptions options) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NodeKeys.TYPE_LABEL, NodeKeys.TYPE_VALUE);
    labels.put(NodeKeys.ROLE_LABEL, NodeKeys.ROLE_VALUE);
    labels.put(NodeKeys.HOSTNAME_LABEL, options.nodeName());
    labels.put(NodeKeys.OS_LABEL, "linux");
    labels.put(NodeKeys.ARCH_LABEL, "amd64");
    labels.put(NodeKeys.COMPUTE_CLUSTER_LABEL, options.computeClusterName());
    labels.put(NodeKeys.TENANT_LABEL, options.tenant());
    labels.put(NodeKeys.EXCLUDE_LB_LABEL, "true");
    return labels;
  }

  public static Taint taint() {
    return new TaintBuilder()
        .withKey(NodeKeys.TAINT_KEY)
        .withValue(NodeKeys.TAINT_VALUE)
        .withEffect(NodeKeys.TAINT_EFFECT)
        .build();
  }

  /** Metadata and spec: ours merged into what is there. */
  public static Node registration(Node existing, NodeOptions options) {
    Node copy = existing == null ? null : new NodeBuilder(existing).build();
    ObjectMeta meta =
        copy == null || copy.getMetadata() == null ? new ObjectMeta() : copy.getMetadata();
    meta.setName(options.nodeName());
    Map<String, String> labels =
        meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
    labels.putAll(labels(options));
    meta.setLabels(labels);

    NodeSpec spec = copy == null || copy.getSpec() == null ? new NodeSpec() : copy.getSpec();
    List<Taint> taints =
        spec.getTaints() == null ? new ArrayList<>() : new ArrayList<>(spec.getTaints());
    Taint ours = taint();
    taints.removeIf(
        t -> ours.getKey().equals(t.getKey()) && ours.getEffect().equals(t.getEffect()));
    taints.add(ours);
    spec.setTaints(taints);

    return new NodeBuilder()
        .withMetadata(meta)
        .withSpec(spec)
        .withStatus(existing == null ? null : existing.getStatus())
        .build();
  }

  /** True when the registration would change the existing Node's labels or taints. */
  public static boolean registrationDiffers(Node existing, NodeOptions options) {
    Node wanted = registration(existing, options);
    return !Objects.equals(wanted.getMetadata().getLabels(), existing.getMetadata().getLabels())
        || !Objects.equals(
            wanted.getSpec().getTaints(),
            existing.getSpec() == null ? null : existing.getSpec().getTaints());
  }

  /**
   * The node status. Condition transition times are kept while a condition's status stays the same;
   * {@code heartbeat} goes into every lastHeartbeatTime.
   */
  public static NodeStatus status(
      NodeStatus previous,
      NodeOptions options,
      NodeHealth health,
      Map<String, Quantity> capacity,
      Instant heartbeat,
      String bootId) {
    List<NodeCondition> before =
        previous == null || previous.getConditions() == null ? List.of() : previous.getConditions();
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            before,
            MEMORY_PRESSURE,
            "False",
            "KubeletHasSufficientMemory",
            "virtual node has sufficient memory available",
            heartbeat));
    conditions.add(
        condition(
            before,
            DISK_PRESSURE,
            "False",
            "KubeletHasNoDiskPressure",
            "virtual node has no disk pressure",
            heartbeat));
    conditions.add(
        condition(
            before,
            PID_PRESSURE,
            "False",
            "KubeletHasSufficientPID",
            "virtual node has sufficient PID available",
            heartbeat));
    conditions.add(
        condition(
            before,
            READY,
            health.ready() ? "True" : "False",
            health.reason(),
            health.message(),
            heartbeat));
    conditions.add(
        condition(
            before,
            NETWORK_UNAVAILABLE,
            "False",
            "RouteCreated",
            "pods get their network in the compute cluster",
            heartbeat));

    NodeStatusBuilder status =
        new NodeStatusBuilder()
            .withCapacity(new LinkedHashMap<>(capacity))
            .withAllocatable(new LinkedHashMap<>(capacity))
            .withConditions(conditions)
            .withAddresses(
                new NodeAddressBuilder()
                    .withType("InternalIP")
                    .withAddress(options.nodeIp())
                    .build(),
                new NodeAddressBuilder()
                    .withType("Hostname")
                    .withAddress(options.nodeName())
                    .build())
            .withNewDaemonEndpoints()
            .withNewKubeletEndpoint()
            .withPort(options.kubeletPort())
            .endKubeletEndpoint()
            .endDaemonEndpoints()
            .withNewNodeInfo()
            .withKubeletVersion(options.kubeletVersion())
            .withKubeProxyVersion("")
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withOsImage(
                "Strata virtual node (compute cluster " + options.computeClusterName() + ")")
            .withKernelVersion("")
            .withContainerRuntimeVersion("strata://" + options.computeClusterName())
            .withMachineID(options.nodeName())
            .withSystemUUID(options.nodeName())
            .withBootID(bootId)
            .endNodeInfo();
    if (previous != null && previous.getPhase() != null) {
      status.withPhase(previous.getPhase());
    }
    return status.build();
  }

  private static NodeCondition condition(
      List<NodeCondition> before,
      String type,
      String status,
      String reason,
      String message,
      Instant heartbeat) {
    String transition = time(heartbeat);
    for (NodeCondition old : before) {
      if (type.equals(old.getType())
          && status.equals(old.getStatus())
          && old.getLastTransitionTime() != null) {
        transition = old.getLastTransitionTime();
      }
    }
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(time(heartbeat))
        .withLastTransitionTime(transition)
        .build();
  }

  /** RFC 3339 at second precision, as the API server stores metav1.Time. */
  public static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Equal apart from heartbeat times: whether a status write carries news. */
  public static boolean sameApartFromHeartbeat(NodeStatus a, NodeStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(withoutHeartbeats(a), withoutHeartbeats(b));
  }

  private static NodeStatus withoutHeartbeats(NodeStatus status) {
    NodeStatus copy = new NodeStatusBuilder(status).build();
    if (copy.getConditions() != null) {
      copy.setConditions(
          copy.getConditions().stream()
              .map(c -> new NodeConditionBuilder(c).withLastHeartbeatTime(null).build())
              .toList());
    }
    return copy;
  }
}
