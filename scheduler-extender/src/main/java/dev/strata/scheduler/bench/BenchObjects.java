package dev.strata.scheduler.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * The API objects the scheduler benchmarks feed the Kubernetes fronts: 8-GPU V100 nodes, and pods
 * of tenant {@code bench} (HIGH tier, 4 CPUs, 16 Gi) in namespace {@code bench}.
 */
public final class BenchObjects {
  public static final String TENANT = "bench";

  private BenchObjects() {}

  /** A schedulable node of 64 CPUs, 512 Gi and 8 V100 GPUs. */
  public static Node node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("strata.dev/gpu-model", "V100"))
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("64"))
        .addToAllocatable("memory", new Quantity("512Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity("8"))
        .endStatus()
        .build();
  }

  /** A pending pod of {@code gpus} whole GPUs, or a share of {@code -gpus} milli when negative. */
  public static Pod pending(String name, int gpus) {
    String resource = gpus > 0 ? "nvidia.com/gpu" : "strata.dev/gpu-milli";
    String amount = Integer.toString(Math.abs(gpus));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(TENANT)
        .withUid("uid-" + name)
        .withLabels(Map.of("strata.dev/tenant", TENANT, "strata.dev/tier", "high"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("trainer")
        .withNewResources()
        .addToRequests("cpu", new Quantity("4"))
        .addToRequests("memory", new Quantity("16Gi"))
        .addToLimits(resource, new Quantity(amount))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /** A pod of {@code gpus} whole GPUs running on {@code node}, holding GPUs 0 to gpus-1. */
  public static Pod running(String name, String node, int gpus) {
    StringBuilder indices = new StringBuilder();
    for (int g = 0; g < gpus; g++) {
      indices.append(g == 0 ? "" : ",").append(g);
    }
    return new PodBuilder(pending(name, gpus))
        .editMetadata()
        .addToAnnotations("strata.dev/gpu-indices", indices.toString())
        .endMetadata()
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }
}
