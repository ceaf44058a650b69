package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeasibilityTest {

  private final ClusterState cluster = new ClusterState(List.of(node("a", 4, "T4")));
  private final NodeState a = cluster.node("a");

  @Test
  void cpuAndMemoryMustFit() {
    assertThat(Feasibility.fits(PodRequest.cpuOnly("p", 64_000, 256 * 1024), a)).isTrue();
    assertThat(Feasibility.reasons(PodRequest.cpuOnly("p", 64_001, 1), a))
        .isEqualTo(Feasibility.Shortfall.CPU.bit);
    assertThat(Feasibility.reasons(PodRequest.cpuOnly("p", 1, 256 * 1024 + 1), a))
        .isEqualTo(Feasibility.Shortfall.MEMORY.bit);
  }

  @Test
  void gpuModelMustBeAllowed() {
    PodRequest v100Only = new PodRequest("p", 1000, 1, 1, 1000, Set.of("V100M16", "V100M32"));
    PodRequest t4OrV100 = new PodRequest("p", 1000, 1, 1, 1000, Set.of("T4", "V100M16"));
    assertThat(Feasibility.reasons(v100Only, a)).isEqualTo(Feasibility.Shortfall.GPU_MODEL.bit);
    assertThat(Feasibility.fits(t4OrV100, a)).isTrue();
  }

  @Test
  void aShareNeedsOneGpuWithEnoughFreeMilli() {
    cluster.bind(new Placement(gpuPod("x", 0, 4, 1000), 0, "a", new int[] {0, 1, 2, 3}));
    cluster.unbind(new Placement(gpuPod("x", 0, 1, 1000), 0, "a", new int[] {3}));
    cluster.bind(new Placement(gpuPod("y", 0, 1, 600), 0, "a", new int[] {3}));
    // GPU 3 has 400 free, the others none.
    assertThat(Feasibility.fits(gpuPod("p", 1, 1, 400), a)).isTrue();
    assertThat(Feasibility.reasons(gpuPod("p", 1, 1, 401), a))
        .isEqualTo(Feasibility.Shortfall.GPU_SHARE.bit);
  }

  @Test
  void multiGpuPodsNeedFullyFreeGpus() {
    cluster.bind(new Placement(gpuPod("y", 0, 1, 100), 0, "a", new int[] {0}));
    assertThat(Feasibility.fits(gpuPod("p", 1, 3, 1000), a)).isTrue();
    assertThat(Feasibility.reasons(gpuPod("p", 1, 4, 1000), a))
        .isEqualTo(Feasibility.Shortfall.GPU_COUNT.bit);
  }

  @Test
  void requestsRejectSharesOfSeveralGpus() {
    assertThatThrownBy(() -> gpuPod("p", 1, 2, 500))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shares need gpuCount 1");
    assertThatThrownBy(() -> gpuPod("p", 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
