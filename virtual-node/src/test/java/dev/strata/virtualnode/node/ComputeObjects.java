package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Compute-cluster objects as the compute admin and the device plugin would make them. */
final class ComputeObjects {
  private ComputeObjects() {}

  static Node gpuNode(String name, String model, int gpus, boolean ready, boolean schedulable) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (model != null) {
      labels.put(NodeKeys.GPU_MODEL_LABEL, model);
    }
    labels.put("strata.dev/pool", "shared");
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(schedulable ? null : true)
        .endSpec()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("63500m"))
        .addToAllocatable("memory", new Quantity("500Gi"))
        .addToAllocatable("pods", new Quantity("110"))
        .addToAllocatable(NodeKeys.GPU_RESOURCE, new Quantity(String.valueOf(gpus)))
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  static ResourceQuota quota(String namespace, String name, Map<String, String> hard) {
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    hard.forEach((k, v) -> quantities.put(k, new Quantity(v)));
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withHard(quantities)
        .endSpec()
        .build();
  }
}
