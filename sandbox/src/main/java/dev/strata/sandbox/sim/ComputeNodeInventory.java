package dev.strata.sandbox.sim;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compute cluster's GPU nodes: pure (a spec in, Node objects out), plus {@link #createIn} to
 * put them into an API server. Racks hold one model each; {@value #NODES_PER_RACK} nodes per rack,
 * {@value #RACKS_PER_SWITCH} racks per RoCE switch, numbered across models in the order the spec
 * names them. Each node gets its own pod CIDR, which the node simulator draws pod IPs from.
 */
public final class ComputeNodeInventory {
  // The keys the scheduler reads.
  public static final String GPU_MODEL_LABEL = KubeKeys.GPU_MODEL_LABEL;
  public static final String RACK_LABEL = NodeSpec.RACK_LABEL;
  public static final String SWITCH_LABEL = NodeSpec.SWITCH_LABEL;
  public static final String NVLINK_GROUPS_ANNOTATION = KubeKeys.NVLINK_GROUPS_ANNOTATION;

  /** Marks the simulated nodes, so the node simulator knows which pods are its own. */
  public static final String SIMULATED_LABEL = "sandbox.strata.dev/simulated";

  public static final String GPU_RESOURCE = KubeKeys.GPU_RESOURCE;
  public static final int NODES_PER_RACK = 4;
  public static final int RACKS_PER_SWITCH = 2;
  public static final int MAX_PODS = 110;

  private ComputeNodeInventory() {}

  public static List<Node> nodes(NodeInventorySpec spec, Instant now) {
    List<Node> nodes = new ArrayList<>();
    int index = 0;
    int rack = 0;
    for (Map.Entry<GpuNodeModel, Integer> entry : spec.counts().entrySet()) {
      GpuNodeModel model = entry.getKey();
      for (int i = 0; i < entry.getValue(); i++) {
        int slot = i % NODES_PER_RACK;
        if (i > 0 && slot == 0) {
          rack++;
        }
        nodes.add(node(model, i, index++, rack, slot, now));
      }
      if (entry.getValue() > 0) {
        rack++; // the next model starts a rack of its own
      }
    }
    return nodes;
  }

  /** Creates the nodes; ones that already exist are left as they are. */
  public static List<Node> createIn(KubernetesClient client, NodeInventorySpec spec) {
    List<Node> created = new ArrayList<>();
    for (Node node : nodes(spec, Instant.now())) {
      Node existing = client.nodes().withName(node.getMetadata().getName()).get();
      created.add(existing != null ? existing : client.resource(node).create());
    }
    return created;
  }

  public static String nodeName(GpuNodeModel model, int ordinal) {
    return "%s-%02d".formatted(model.label().toLowerCase(java.util.Locale.ROOT), ordinal);
  }

  public static String rackName(int rack) {
    return "rack-" + rack;
  }

  public static String switchName(int rack) {
    return "switch-" + rack / RACKS_PER_SWITCH;
  }

  private static Node node(
      GpuNodeModel model, int ordinal, int index, int rack, int slot, Instant now) {
    String name = nodeName(model, ordinal);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put(GPU_MODEL_LABEL, model.label());
    labels.put(RACK_LABEL, rackName(rack));
    labels.put(SWITCH_LABEL, switchName(rack));
    labels.put(SIMULATED_LABEL, "true");
    Map<String, String> annotations = new LinkedHashMap<>();
    if (model.nvlinkGroups() != null) {
      annotations.put(NVLINK_GROUPS_ANNOTATION, model.nvlinkGroups());
    }
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", new Quantity(Integer.toString(model.cpus())));
    resources.put("memory", new Quantity(model.memoryGi() + "Gi"));
    resources.put("pods", new Quantity(Integer.toString(MAX_PODS)));
    resources.put(GPU_RESOURCE, new Quantity(Integer.toString(model.gpus())));
    resources.put("ephemeral-storage", new Quantity("1Ti"));
    String time = now.toString();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr(index))
        .withPodCIDRs(podCidr(index))
        .endSpec()
        .withNewStatus()
        .withCapacity(resources)
        .withAllocatable(resources)
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(hostIp(rack, slot)).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(name).build())
        .withConditions(
            condition(
                "Ready", "True", "KubeletReady", "simulated kubelet is posting ready status", time),
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "", time),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", time),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "", time))
        .withNewNodeInfo()
        .withArchitecture("amd64")
        .withOperatingSystem("linux")
        .withKubeletVersion("v1.32.0-strata-sandbox")
        .withContainerRuntimeVersion("sandbox://simulated")
        .withOsImage("Strata sandbox node simulator")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static String podCidr(int index) {
    return "10.244." + index + ".0/24";
  }

  private static String hostIp(int rack, int slot) {
    return "192.168." + rack + "." + (10 + slot);
  }

  private static NodeCondition condition(
      String type, String status, String reason, String message, String time) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(time)
        .withLastTransitionTime(time)
        .build();
  }
}
