package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ComputeNodeInventoryTest {
  KubernetesClient client;

  private static String label(Node node, String key) {
    return node.getMetadata().getLabels().get(key);
  }

  private static int gpus(Node node) {
    return Integer.parseInt(
        node.getStatus().getAllocatable().get(ComputeNodeInventory.GPU_RESOURCE).getAmount());
  }

  @Test
  void v100NodesHaveEightNvlinkedGpusAndP100NodesFourOnPcie() {
    List<Node> nodes =
        ComputeNodeInventory.nodes(NodeInventorySpec.parse("v100=16,p100=16"), Instant.now());

    assertThat(nodes).hasSize(32);
    List<Node> v100 =
        nodes.stream().filter(n -> "V100".equals(label(n, "strata.dev/gpu-model"))).toList();
    List<Node> p100 =
        nodes.stream().filter(n -> "P100".equals(label(n, "strata.dev/gpu-model"))).toList();
    assertThat(v100).hasSize(16).allSatisfy(n -> assertThat(gpus(n)).isEqualTo(8));
    assertThat(p100).hasSize(16).allSatisfy(n -> assertThat(gpus(n)).isEqualTo(4));
    assertThat(v100)
        .allSatisfy(
            n ->
                assertThat(n.getMetadata().getAnnotations())
                    .containsEntry("strata.dev/nvlink-groups", "0-3,4-7"));
    assertThat(p100)
        .allSatisfy(
            n ->
                assertThat(n.getMetadata().getAnnotations())
                    .doesNotContainKey("strata.dev/nvlink-groups"));
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
              assertThat(n.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
  }

  @Test
  void racksHoldFourNodesOfOneModelAndSwitchesTwoRacks() {
    List<Node> nodes =
        ComputeNodeInventory.nodes(NodeInventorySpec.parse("v100=5,p100=3"), Instant.now());

    Map<String, List<String>> byRack =
        nodes.stream()
            .collect(
                Collectors.groupingBy(
                    n -> label(n, "strata.dev/rack"),
                    java.util.TreeMap::new,
                    Collectors.mapping(n -> n.getMetadata().getName(), Collectors.toList())));
    assertThat(byRack)
        .containsExactly(
            Map.entry("rack-0", List.of("v100-00", "v100-01", "v100-02", "v100-03")),
            Map.entry("rack-1", List.of("v100-04")),
            Map.entry("rack-2", List.of("p100-00", "p100-01", "p100-02")));
    Map<String, Set<String>> racksBySwitch =
        nodes.stream()
            .collect(
                Collectors.groupingBy(
                    n -> label(n, "strata.dev/switch"),
                    Collectors.mapping(n -> label(n, "strata.dev/rack"), Collectors.toSet())));
    assertThat(racksBySwitch)
        .containsOnly(
            Map.entry("switch-0", Set.of("rack-0", "rack-1")),
            Map.entry("switch-1", Set.of("rack-2")));
    assertThat(nodes.stream().map(n -> n.getSpec().getPodCIDR()).distinct()).hasSize(8);
  }

  @Test
  void theNodesAreCreatedInTheApiServerOnce() {
    NodeInventorySpec spec = NodeInventorySpec.parse("v100=2,p100=1");
    ComputeNodeInventory.createIn(client, spec);
    ComputeNodeInventory.createIn(client, spec);

    assertThat(client.nodes().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("v100-00", "v100-01", "p100-00");
    assertThat(client.nodes().withLabel("strata.dev/gpu-model", "V100").list().getItems())
        .hasSize(2);
  }

  @Test
  void badSpecsAreRefusedNamingThePart() {
    assertThatThrownBy(() -> NodeInventorySpec.parse("a100=2"))
        .hasMessageContaining("unknown GPU model 'a100'")
        .hasMessageContaining("v100, p100");
    assertThatThrownBy(() -> NodeInventorySpec.parse("v100=many"))
        .hasMessageContaining("'many' for v100 is not a number");
    assertThatThrownBy(() -> NodeInventorySpec.parse("v100")).hasMessageContaining("MODEL=COUNT");
    assertThatThrownBy(() -> NodeInventorySpec.parse("v100=-1")).hasMessageContaining("0 or more");
    assertThatThrownBy(() -> NodeInventorySpec.parse("v100=1,V100=2"))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> NodeInventorySpec.parse("v100=200,p100=100"))
        .hasMessageContaining("at most 256");
    assertThat(NodeInventorySpec.parse(" P100 = 2 , v100=0").toString()).isEqualTo("p100=2,v100=0");
  }
}
