package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private static final List<NodeSpec> TWO_NODES = List.of(node("a", 2, "T4"), node("b", 2, "T4"));

  private static Scheduler scheduler(int nodes, TenantQuota... quotas) {
    return new Scheduler(Packing.placer(nodes), List.of(quotas));
  }

  /** A running pod of {@code gpus} whole GPUs starting at GPU {@code first} of the node. */
  private static RunningPod running(
      String gang,
      String tenant,
      Tier tier,
      List<NodeSpec> nodes,
      String node,
      int first,
      int gpus,
      long seconds) {
    int index = 0;
    while (!nodes.get(index).name().equals(node)) {
      index++;
    }
    int[] indices = new int[gpus];
    for (int i = 0; i < gpus; i++) {
      indices[i] = first + i;
    }
    String podName = gang + "-" + node + first;
    return new RunningPod(
        gang,
        tenant,
        tier,
        new Placement(gpuPod(podName, 1000, gpus, 1000), index, node, indices),
        seconds);
  }

  private static Gang high(String name, String tenant, int gpus) {
    return Gang.of(gpuPod(name, 1000, gpus, 1000), tenant, Tier.HIGH);
  }

  @Test
  void highWorkWithinQuotaStartsOnIdleGpusWithoutPreempting() {
    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 2))
            .decide(TWO_NODES, List.of(), high("p", "team-a", 2));

    SchedulingDecision.Admit admit = (SchedulingDecision.Admit) decision;
    assertThat(admit.placements()).extracting(Placement::nodeName).containsExactly("a");
    assertThat(admit.victims()).isEmpty();
  }

  @Test
  void highWorkBeyondItsQuotaWaitsAndSaysHowMuchIsLeft() {
    List<RunningPod> running =
        List.of(running("old", "team-a", Tier.HIGH, TWO_NODES, "a", 0, 2, 60));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 3))
            .decide(TWO_NODES, running, high("p", "team-a", 2));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .isEqualTo(
            "HIGH gang p of tenant team-a is pending: it needs 2 GPUs but tenant team-a has 1 GPU"
                + " left of its HIGH quota of 3 GPUs (2 GPUs held by its running HIGH work);"
                + " it waits until that work frees 1 GPU, or can run as LOW.");
  }

  @Test
  void aTenantWithoutQuotaCannotRunHighWork() {
    SchedulingDecision decision = scheduler(2).decide(TWO_NODES, List.of(), high("p", "team-z", 1));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .isEqualTo(
            "HIGH gang p of tenant team-z is pending: tenant team-z has no GPU quota, so HIGH work"
                + " of 1 GPU cannot be guaranteed; submit it as LOW to run on idle GPUs.");
  }

  @Test
  void lowWorkBorrowsIdleGpusBeyondQuota() {
    Gang low = Gang.of(gpuPod("p", 1000, 2, 1000), "team-z", Tier.LOW);
    List<RunningPod> running =
        List.of(running("other", "team-z", Tier.LOW, TWO_NODES, "a", 0, 2, 60));

    SchedulingDecision decision = scheduler(2).decide(TWO_NODES, running, low);

    assertThat(((SchedulingDecision.Admit) decision).placements())
        .extracting(Placement::nodeName)
        .containsExactly("b");
  }

  @Test
  void lowWorkNeverPreemptsAndWaitsForIdleGpus() {
    List<RunningPod> running =
        List.of(
            running("x", "team-a", Tier.LOW, TWO_NODES, "a", 0, 2, 60),
            running("y", "team-b", Tier.LOW, TWO_NODES, "b", 0, 2, 1));
    Gang low = Gang.of(gpuPod("p", 1000, 1, 1000), "team-a", Tier.LOW);

    SchedulingDecision decision = scheduler(2).decide(TWO_NODES, running, low);

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .isEqualTo(
            "LOW gang p of tenant team-a is pending: LOW work never preempts; it waits for idle"
                + " capacity. 0 of 2 nodes can run p: 2 nodes have fewer than 1 completely free"
                + " GPU.");
  }

  @Test
  void highWorkPreemptsTheLowGangThatLosesTheLeastGpuTime() {
    List<RunningPod> running =
        List.of(
            running("long", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 3600),
            running("short", "team-b", Tier.LOW, TWO_NODES, "b", 0, 2, 60));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 2))
            .decide(TWO_NODES, running, high("p", "team-a", 2));

    SchedulingDecision.Admit admit = (SchedulingDecision.Admit) decision;
    assertThat(admit.victimGangs()).containsExactly("short");
    assertThat(admit.placements()).extracting(Placement::nodeName).containsExactly("b");
  }

  @Test
  void aPreemptedGangIsEvictedWhole() {
    // One LOW gang spans both nodes; freeing node a alone would leave half a gang running.
    List<RunningPod> running =
        List.of(
            running("spread", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 60),
            running("spread", "team-b", Tier.LOW, TWO_NODES, "b", 0, 2, 60));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 2))
            .decide(TWO_NODES, running, high("p", "team-a", 2));

    assertThat(((SchedulingDecision.Admit) decision).victims())
        .extracting(v -> v.placement().nodeName())
        .containsExactly("a", "b");
  }

  @Test
  void theGreedySearchSparesVictimsThatTurnOutUnneeded() {
    // Cheapest first evicts x (1 GPU on a, not enough), then z (all of b, enough); x is then
    // given back, because the 2-GPU pod only needed b.
    List<RunningPod> running =
        List.of(
            running("x", "team-b", Tier.LOW, TWO_NODES, "a", 0, 1, 10),
            running("y", "team-b", Tier.LOW, TWO_NODES, "a", 1, 1, 1000),
            running("z", "team-b", Tier.LOW, TWO_NODES, "b", 0, 2, 400));
    Scheduler greedy = new Scheduler(Packing.placer(2), List.of(new TenantQuota("team-a", 2)), 0);

    SchedulingDecision decision = greedy.decide(TWO_NODES, running, high("p", "team-a", 2));

    assertThat(((SchedulingDecision.Admit) decision).victimGangs()).containsExactly("z");
  }

  @Test
  void theExactSearchFindsACheaperSetThanTheGreedyOne() {
    // Greedy evicts x then y (node a, 110 GPU-s) before it would try z (node b, 104 GPU-s); the
    // exact search tries {z} first because it costs less.
    List<RunningPod> running =
        List.of(
            running("x", "team-b", Tier.LOW, TWO_NODES, "a", 0, 1, 10),
            running("y", "team-b", Tier.LOW, TWO_NODES, "a", 1, 1, 100),
            running("z", "team-b", Tier.LOW, TWO_NODES, "b", 0, 2, 52));
    List<TenantQuota> quotas = List.of(new TenantQuota("team-a", 2));
    Gang request = high("p", "team-a", 2);

    SchedulingDecision exact =
        new Scheduler(Packing.placer(2), quotas).decide(TWO_NODES, running, request);
    SchedulingDecision greedy =
        new Scheduler(Packing.placer(2), quotas, 0).decide(TWO_NODES, running, request);

    assertThat(((SchedulingDecision.Admit) exact).victimGangs()).containsExactly("z");
    assertThat(((SchedulingDecision.Admit) greedy).victimGangs()).containsExactly("x", "y");
  }

  @Test
  void equalOrHigherTiersAreNeverPreempted() {
    List<RunningPod> running =
        List.of(
            running("theirs", "team-b", Tier.HIGH, TWO_NODES, "a", 0, 2, 1),
            running("mine", "team-a", Tier.HIGH, TWO_NODES, "b", 0, 2, 1));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 4), new TenantQuota("team-b", 2))
            .decide(TWO_NODES, running, high("p", "team-a", 1));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .startsWith(
            "HIGH gang p of tenant team-a is pending: no LOW work is running that could be"
                + " preempted. 0 of 2 nodes can run p:");
  }

  @Test
  void aGangWithAHighMemberIsNotPreemptible() {
    List<RunningPod> running =
        List.of(
            running("mixed", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 1),
            running("mixed", "team-b", Tier.HIGH, TWO_NODES, "b", 0, 2, 1));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 2), new TenantQuota("team-b", 2))
            .decide(TWO_NODES, running, high("p", "team-a", 2));

    assertThat(decision).isInstanceOf(SchedulingDecision.Pending.class);
  }

  @Test
  void workThatCannotFitEvenWithAllLowEvictedDoesNotPreempt() {
    List<RunningPod> running = List.of(running("x", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 1));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 8))
            .decide(TWO_NODES, running, high("p", "team-a", 4));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .isEqualTo(
            "HIGH gang p of tenant team-a is pending: it does not fit even with all 1 preemptible"
                + " LOW gang evicted. 0 of 2 nodes can run p: 2 nodes have fewer than 4"
                + " completely free GPUs.");
  }

  @Test
  void aHighGangPreemptsForAllItsMembersOrNone() {
    List<RunningPod> running =
        List.of(
            running("x", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 5),
            running("y", "team-b", Tier.LOW, TWO_NODES, "b", 0, 1, 5));
    Gang gang =
        new Gang(
            "train",
            "team-a",
            Tier.HIGH,
            List.of(gpuPod("w0", 1000, 2, 1000), gpuPod("w1", 1000, 2, 1000)));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 4)).decide(TWO_NODES, running, gang);

    SchedulingDecision.Admit admit = (SchedulingDecision.Admit) decision;
    assertThat(admit.victimGangs()).containsExactly("x", "y");
    assertThat(admit.placements()).extracting(Placement::nodeName).containsExactly("a", "b");
  }

  @Test
  void perModelQuotaSteersHighWorkToAModelWithRoom() {
    List<NodeSpec> nodes = List.of(node("v", 4, "V100"), node("t", 4, "T4"));
    Scheduler scheduler = scheduler(2, new TenantQuota("team-a", 4, Map.of("V100", 1)));
    PodRequest pod = gpuPod("p", 1000, 2, 1000);

    SchedulingDecision.Admit admit =
        (SchedulingDecision.Admit)
            scheduler.decide(nodes, List.of(), Gang.of(pod, "team-a", Tier.HIGH));

    assertThat(admit.placements()).extracting(Placement::nodeName).containsExactly("t");
    assertThat(admit.placements().get(0).pod()).isEqualTo(pod);
  }

  @Test
  void perModelQuotaWithoutRoomExplainsEachModel() {
    List<NodeSpec> nodes = List.of(node("v", 4, "V100"), node("t", 4, "T4"));
    Scheduler scheduler = scheduler(2, new TenantQuota("team-a", 4, Map.of("V100", 1, "T4", 0)));
    Gang gang = Gang.of(gpuPod("p", 1000, 2, 1000), "team-a", Tier.HIGH);

    SchedulingDecision decision = scheduler.decide(nodes, List.of(), gang);

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .isEqualTo(
            "HIGH gang p of tenant team-a is pending: tenant team-a's per-model HIGH quota has no"
                + " room for 2 GPUs on any GPU model member p may use (T4: 0 GPUs of 0 GPUs left;"
                + " V100: 1 GPU of 1 GPU left).");
  }

  @Test
  void sharesCountAsFractionsOfAGpu() {
    List<RunningPod> running = new ArrayList<>();
    running.add(
        new RunningPod(
            "s",
            "team-a",
            Tier.HIGH,
            new Placement(gpuPod("s", 1, 1, 500), 0, "a", new int[] {0}),
            1));

    SchedulingDecision decision =
        scheduler(2, new TenantQuota("team-a", 1))
            .decide(TWO_NODES, running, Gang.of(gpuPod("p", 1, 1, 750), "team-a", Tier.HIGH));

    assertThat(((SchedulingDecision.Pending) decision).reason())
        .contains(
            "it needs 0.75 GPUs but tenant team-a has 0.5 GPUs left of its HIGH quota of 1 GPU");
  }

  @Test
  void inconsistentSnapshotsAreRejected() {
    List<RunningPod> overcommit =
        List.of(
            running("x", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 1),
            running("y", "team-b", Tier.LOW, TWO_NODES, "a", 0, 2, 1));
    Scheduler scheduler = scheduler(2, new TenantQuota("team-a", 2));

    assertThatThrownBy(() -> scheduler.decide(TWO_NODES, overcommit, high("p", "team-a", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overcommit");
    assertThatThrownBy(
            () -> scheduler.decide(TWO_NODES, overcommit.subList(0, 1), high("x", "team-a", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already running");
  }

  @Test
  void cpuOnlyHighWorkNeedsNoGpuQuota() {
    Gang cpu = Gang.of(PodRequest.cpuOnly("c", 1000, 1024), "team-z", Tier.HIGH);

    assertThat(scheduler(2).decide(TWO_NODES, List.of(), cpu))
        .isInstanceOf(SchedulingDecision.Admit.class);
  }

  @Test
  void modelsAreOnlyRestrictedByQuotaWhereAMemberAllowsThem() {
    List<NodeSpec> nodes = List.of(node("v", 4, "V100"), node("t", 4, "T4"));
    Scheduler scheduler = scheduler(2, new TenantQuota("team-a", 4, Map.of("T4", 4)));
    PodRequest v100Only = new PodRequest("p", 1000, 1024, 2, 1000, Set.of("V100"));

    SchedulingDecision.Admit admit =
        (SchedulingDecision.Admit)
            scheduler.decide(nodes, List.of(), Gang.of(v100Only, "team-a", Tier.HIGH));

    assertThat(admit.placements()).extracting(Placement::nodeName).containsExactly("v");
  }
}
