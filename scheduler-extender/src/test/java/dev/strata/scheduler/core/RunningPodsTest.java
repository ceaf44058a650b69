package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningPodsTest {

  private final List<NodeSpec> nodes = List.of(node("a", 4, "T4"), node("b", 4, "V100"));

  private static RunningPod pod(String gang, String tenant, Tier tier, int node, int... gpus) {
    PodRequest request = gpuPod(gang + "-" + gpus[0], 1000, gpus.length, 1000);
    return new RunningPod(
        gang, tenant, tier, new Placement(request, node, node == 0 ? "a" : "b", gpus), 60);
  }

  @Test
  void countsEachTenantsHighGpusAsGangsComeAndGo() {
    RunningPods running = new RunningPods(new ClusterState(nodes));
    running.add(pod("g1", "t1", Tier.HIGH, 0, 0, 1));
    running.add(pod("g1", "t1", Tier.HIGH, 1, 0));
    running.add(pod("g2", "t1", Tier.LOW, 1, 1));
    running.add(pod("g3", "t2", Tier.HIGH, 1, 2, 3));

    assertThat(running.highGpuMilli("t1")).isEqualTo(3000);
    assertThat(running.highGpuMilliByModel("t1")).isEqualTo(Map.of("T4", 2000L, "V100", 1000L));
    assertThat(running.hasGang("g2")).isTrue();
    assertThat(running.size()).isEqualTo(4);

    assertThat(running.removeGang("g1")).hasSize(2);

    assertThat(running.highGpuMilli("t1")).isZero();
    assertThat(running.highGpuMilli("t2")).isEqualTo(2000);
    assertThat(running.hasGang("g1")).isFalse();
    assertThat(running.pods()).extracting(RunningPod::gang).containsExactly("g2", "g3");
    assertThat(running.removeGang("g1")).isEmpty();
  }

  @Test
  void aSchedulerDecidesTheSameOnAKeptIndexAsOnTheList() {
    List<RunningPod> list = new ArrayList<>();
    list.add(pod("old", "t1", Tier.HIGH, 0, 0, 1, 2));
    list.add(pod("low", "t2", Tier.LOW, 1, 0, 1, 2));
    list.add(pod("done", "t1", Tier.HIGH, 1, 3));
    ClusterState cluster = new ClusterState(nodes);
    list.forEach(p -> cluster.bind(p.placement()));
    RunningPods index = RunningPods.of(cluster, list);
    // The "done" gang ends: the caller unbinds it and drops it from its index.
    cluster.unbind(list.get(2).placement());
    index.removeGang("done");
    List<RunningPod> remaining = list.subList(0, 2);
    Scheduler scheduler = new Scheduler(Packing.placer(2), List.of(new TenantQuota("t1", 5)));
    Gang request = new Gang("new", "t1", Tier.HIGH, List.of(gpuPod("n0", 1000, 2, 1000)));

    SchedulingDecision onIndex = scheduler.decide(cluster, index, request);

    assertThat(onIndex).isEqualTo(scheduler.decide(nodes, remaining, request));
    assertThat(((SchedulingDecision.Admit) onIndex).victimGangs()).containsExactly("low");
    assertThat(index.size()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                scheduler.decide(
                    cluster, index, new Gang("old", "t1", Tier.LOW, request.members())))
        .hasMessage("gang old is already running");
  }
}
