package dev.strata.virtualnode.node;

import static dev.strata.virtualnode.node.ComputeObjects.gpuNode;
import static dev.strata.virtualnode.node.ComputeObjects.quota;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityCalculatorTest {
  private static final List<Node> CLUSTER =
      List.of(
          gpuNode("v100-a", "V100", 8, true, true),
          gpuNode("v100-b", "V100", 8, true, true),
          gpuNode("p100-a", "P100", 4, true, true),
          gpuNode("v100-down", "V100", 8, false, true),
          gpuNode("v100-cordoned", "V100", 8, true, false));

  private static String amount(Map<String, Quantity> capacity, String resource) {
    return capacity.get(resource).toString();
  }

  @Test
  void withoutQuotaTheUsableNodesAreSummedAndGpusSplitByModel() {
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(List.of(), List.of(), CLUSTER, Map.of());

    // NotReady and cordoned nodes do not count.
    assertThat(amount(capacity, "nvidia.com/gpu")).isEqualTo("20");
    assertThat(amount(capacity, "strata.dev/gpu-v100")).isEqualTo("16");
    assertThat(amount(capacity, "strata.dev/gpu-p100")).isEqualTo("4");
    assertThat(amount(capacity, "cpu")).isEqualTo("190500m");
    assertThat(Quantity.getAmountInBytes(capacity.get("memory")))
        .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity("1500Gi")));
    assertThat(amount(capacity, "pods")).isEqualTo("330");
  }

  @Test
  void quotaBoundsWhatItLimitsAndPerModelNeverExceedsTheGpuTotal() {
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(
            List.of(
                quota(
                    "a-team", "gpus", Map.of("requests.nvidia.com/gpu", "6", "requests.cpu", "48")),
                // A second quota in the same namespace: the tighter limit applies.
                quota("a-team", "tight", Map.of("requests.cpu", "40", "limits.cpu", "1000"))),
            List.of("a-team"),
            CLUSTER,
            Map.of());

    assertThat(amount(capacity, "nvidia.com/gpu")).isEqualTo("6");
    assertThat(amount(capacity, "cpu")).isEqualTo("40");
    // Not limited by the quota: the usable nodes' sum.
    assertThat(amount(capacity, "pods")).isEqualTo("330");
    assertThat(amount(capacity, "strata.dev/gpu-v100")).isEqualTo("6");
    assertThat(amount(capacity, "strata.dev/gpu-p100")).isEqualTo("4");
  }

  @Test
  void perModelQuotaUsesTheDocumentedResourceName() {
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(
            List.of(
                quota(
                    "a-team",
                    "q",
                    Map.of("requests.nvidia.com/gpu", "10", "requests.strata.dev/gpu-v100", "2"))),
            List.of("a-team"),
            CLUSTER,
            Map.of());
    assertThat(amount(capacity, "strata.dev/gpu-v100")).isEqualTo("2");
    assertThat(amount(capacity, "strata.dev/gpu-p100")).isEqualTo("4");
    assertThat(amount(capacity, "nvidia.com/gpu")).isEqualTo("10");
  }

  @Test
  void quotasOfSeveralNamespacesAddUpOnlyWhereEachLimitsTheResource() {
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(
            List.of(
                quota(
                    "a-one",
                    "q",
                    Map.of("requests.nvidia.com/gpu", "2", "requests.memory", "64Gi")),
                quota("a-two", "q", Map.of("requests.nvidia.com/gpu", "3"))),
            List.of("a-one", "a-two"),
            CLUSTER,
            Map.of());
    assertThat(amount(capacity, "nvidia.com/gpu")).isEqualTo("5");
    // a-two does not limit memory, so the tenant may use the usable nodes' memory.
    assertThat(Quantity.getAmountInBytes(capacity.get("memory")))
        .isEqualByComparingTo(Quantity.getAmountInBytes(new Quantity("1500Gi")));
  }

  @Test
  void nodeSelectorAndUnreadableNodes() {
    Map<String, Quantity> selected =
        CapacityCalculator.capacity(
            List.of(), List.of(), CLUSTER, Map.of("strata.dev/gpu-model", "P100"));
    assertThat(amount(selected, "nvidia.com/gpu")).isEqualTo("4");
    assertThat(selected).doesNotContainKey("strata.dev/gpu-v100");

    Map<String, Quantity> blind =
        CapacityCalculator.capacity(
            List.of(quota("a-team", "q", Map.of("requests.nvidia.com/gpu", "3"))),
            List.of("a-team"),
            null,
            Map.of());
    assertThat(amount(blind, "nvidia.com/gpu")).isEqualTo("3");
    assertThat(amount(blind, "cpu")).isEqualTo("0");
  }

  @Test
  void neverNegative() {
    Node broken = gpuNode("broken", "V100", 8, true, true);
    broken.getStatus().getAllocatable().put("cpu", new Quantity("-4"));
    broken.getStatus().getAllocatable().put("nvidia.com/gpu", new Quantity("-2"));
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(
            List.of(quota("a-team", "q", Map.of("requests.memory", "-1Gi"))),
            List.of("a-team"),
            List.of(broken),
            Map.of());
    assertThat(capacity.values())
        .allSatisfy(q -> assertThat(Quantity.getAmountInBytes(q)).isNotNegative());
    assertThat(amount(capacity, "cpu")).isEqualTo("0");
    assertThat(amount(capacity, "nvidia.com/gpu")).isEqualTo("0");
    assertThat(amount(capacity, "strata.dev/gpu-v100")).isEqualTo("0");
  }

  @Test
  void nodesThatPublishPerModelResourcesAreTakenAsTheyAre() {
    Node published = gpuNode("published", null, 4, true, true);
    published.getStatus().getAllocatable().put("strata.dev/gpu-a100", new Quantity("4"));
    Map<String, Quantity> capacity =
        CapacityCalculator.capacity(List.of(), List.of(), List.of(published), Map.of());
    assertThat(amount(capacity, "strata.dev/gpu-a100")).isEqualTo("4");
  }
}
