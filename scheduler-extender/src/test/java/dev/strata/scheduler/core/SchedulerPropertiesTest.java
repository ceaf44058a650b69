package dev.strata.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's guarantees over many random clusters and workloads, each from a fixed seed so a
 * failure can be replayed: the assertion message names the seed and step.
 */
class SchedulerPropertiesTest {

  private static final int SEEDS = 300;
  private static final int STEPS = 40;
  private static final List<String> MODELS = List.of("T4", "V100");
  private static final List<String> TENANTS = List.of("t0", "t1", "t2");

  private record World(List<NodeSpec> nodes, List<TenantQuota> quotas) {}

  private static World randomWorld(Random r) {
    return randomWorld(r, false);
  }

  /**
   * With {@code topology}, nodes hang off one of 3 switches and sit in one of 2 racks (the two
   * independent, a node in 6 without labels) and have random NVLink groups.
   */
  private static World randomWorld(Random r, boolean topology) {
    List<NodeSpec> nodes = new ArrayList<>();
    int n = (topology ? 4 : 2) + r.nextInt(5);
    int totalGpus = 0;
    for (int i = 0; i < n; i++) {
      int gpus = new int[] {0, 2, 4, 4, 8, 8}[r.nextInt(6)];
      totalGpus += gpus;
      NodeSpec node =
          new NodeSpec(
              "n" + i,
              new long[] {32_000, 64_000, 96_000}[r.nextInt(3)],
              new long[] {131_072, 262_144}[r.nextInt(2)],
              gpus,
              MODELS.get(r.nextInt(MODELS.size())));
      if (topology) {
        Map<String, String> labels = new HashMap<>();
        if (r.nextInt(6) != 0) {
          labels.put(NodeSpec.SWITCH_LABEL, "s" + r.nextInt(3));
          labels.put(NodeSpec.RACK_LABEL, "r" + r.nextInt(2));
        }
        String[] groups =
            gpus == 8
                ? new String[] {null, "0-3,4-7", "0-1,2-3,4-5,6-7", "0-5"}
                : gpus >= 2 ? new String[] {null, "0-1"} : new String[] {null};
        node =
            new NodeSpec(
                node.name(),
                node.cpuMilli(),
                node.memoryMib(),
                gpus,
                node.gpuModel(),
                labels,
                NvLinkGroups.parse(groups[r.nextInt(groups.length)]));
      }
      nodes.add(node);
    }
    List<TenantQuota> quotas = new ArrayList<>();
    for (String tenant : TENANTS) {
      int gpus = r.nextInt(totalGpus / 2 + 1);
      Map<String, Integer> perModel = new HashMap<>();
      if (r.nextInt(3) == 0) {
        perModel.put(MODELS.get(r.nextInt(MODELS.size())), r.nextInt(gpus + 1));
      }
      quotas.add(new TenantQuota(tenant, gpus, perModel));
    }
    return new World(nodes, quotas);
  }

  private static Gang randomGang(Random r, String name) {
    return randomGang(r, name, false);
  }

  /** With {@code topology}, gangs of up to 4 and a third of them {@link TopologyMode#REQUIRED}. */
  private static Gang randomGang(Random r, String name, boolean topology) {
    int size = 1 + r.nextInt(topology ? 4 : 3);
    List<PodRequest> members = new ArrayList<>();
    for (int m = 0; m < size; m++) {
      int gpus = new int[] {0, 1, 1, 1, 2, 4, 8}[r.nextInt(7)];
      int milli = gpus == 1 && r.nextInt(3) == 0 ? 250 * (1 + r.nextInt(3)) : 1000;
      Set<String> models =
          r.nextInt(5) == 0 ? Set.of(MODELS.get(r.nextInt(MODELS.size()))) : Set.of();
      members.add(
          new PodRequest(
              name + "-" + m,
              500 + r.nextInt(16) * 1000L,
              512 + r.nextInt(64) * 1024L,
              gpus,
              milli,
              models));
    }
    Tier tier = r.nextBoolean() ? Tier.HIGH : Tier.LOW;
    TopologyMode mode =
        topology && r.nextInt(3) == 0 ? TopologyMode.REQUIRED : TopologyMode.PREFERRED;
    return new Gang(name, TENANTS.get(r.nextInt(TENANTS.size())), tier, members, mode);
  }

  @Test
  void randomWorkloadsKeepEveryGuaranteeWithTheExactVictimSearch() {
    randomWorkloadsKeepEveryGuarantee(Scheduler.EXACT_SEARCH_LIMIT);
  }

  @Test
  void randomWorkloadsKeepEveryGuaranteeWithTheGreedyVictimSearch() {
    randomWorkloadsKeepEveryGuarantee(0);
  }

  @Test
  void randomTopologyWorkloadsKeepEveryGuaranteeWithTheExactVictimSearch() {
    randomWorkloadsKeepEveryGuarantee(Scheduler.EXACT_SEARCH_LIMIT, true);
  }

  @Test
  void randomTopologyWorkloadsKeepEveryGuaranteeWithTheGreedyVictimSearch() {
    randomWorkloadsKeepEveryGuarantee(0, true);
  }

  private void randomWorkloadsKeepEveryGuarantee(int exactSearchLimit) {
    randomWorkloadsKeepEveryGuarantee(exactSearchLimit, false);
  }

  /**
   * With {@code topology} also: a {@link TopologyMode#REQUIRED} gang is only ever admitted under
   * one labelled switch, and a preferred gang that would fit under one switch on idle capacity is
   * placed under one.
   */
  private void randomWorkloadsKeepEveryGuarantee(int exactSearchLimit, boolean topology) {
    int admitted = 0;
    int optimal = 0;
    int preempting = 0;
    int requiredAdmitted = 0;
    int preferredOneSwitch = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random r = new Random(seed);
      World world = randomWorld(r, topology);
      int n = world.nodes().size();
      Scheduler scheduler = new Scheduler(Packing.placer(n), world.quotas(), exactSearchLimit);
      List<RunningPod> running = new ArrayList<>();
      Map<String, Integer> gangSizes = new HashMap<>();
      for (int step = 0; step < STEPS; step++) {
        String where = "seed " + seed + " step " + step;
        running = age(finishSome(running, r), r);
        Gang gang = randomGang(r, "g" + step, topology);
        List<RunningPod> before = List.copyOf(running);

        SchedulingDecision decision = scheduler.decide(world.nodes(), running, gang);

        assertThat(running).as(where + ": snapshot left alone").isEqualTo(before);
        SchedulingDecision again =
            new Scheduler(Packing.placer(n), world.quotas(), exactSearchLimit)
                .decide(world.nodes(), before, gang);
        assertThat(again).as(where + ": deterministic").isEqualTo(decision);
        if (!(decision instanceof SchedulingDecision.Admit admit)) {
          continue;
        }
        admitted++;
        assertThat(admit.placements()).as(where + ": whole gang").hasSize(gang.size());
        if (gang.size() > 1 && gang.topology() == TopologyMode.REQUIRED) {
          requiredAdmitted++;
          assertThat(switchesOf(world, admit.placements()))
              .as(where + ": required gang under one labelled switch, " + admit.placements())
              .hasSize(1)
              .doesNotContainNull();
        }
        if (topology
            && gang.size() > 1
            && gang.topology() == TopologyMode.PREFERRED
            && admit.victims().isEmpty()
            && new Scheduler(Packing.placer(n), world.quotas(), exactSearchLimit)
                    .decide(world.nodes(), before, gang.withTopology(TopologyMode.REQUIRED))
                instanceof SchedulingDecision.Admit required
            && required.victims().isEmpty()) {
          preferredOneSwitch++;
          assertThat(switchesOf(world, admit.placements()))
              .as(where + ": fits under one switch, so placed under one, " + admit.placements())
              .hasSize(1);
        }
        for (int i = 0; i < gang.size(); i++) {
          assertThat(admit.placements().get(i).pod()).isEqualTo(gang.members().get(i));
        }
        Set<String> victimGangs = new HashSet<>(admit.victimGangs());
        if (!victimGangs.isEmpty()) {
          preempting++;
          assertThat(gang.tier()).as(where + ": only HIGH preempts").isEqualTo(Tier.HIGH);
        }
        for (RunningPod victim : admit.victims()) {
          assertThat(gang.tier().mayPreempt(victim.tier()))
              .as(where + ": never an equal or higher tier, " + victim)
              .isTrue();
        }
        List<RunningPod> survivors = new ArrayList<>();
        for (RunningPod pod : running) {
          if (victimGangs.contains(pod.gang())) {
            assertThat(admit.victims()).as(where + ": victims are whole gangs").contains(pod);
          } else {
            survivors.add(pod);
          }
        }
        assertThat(admit.victims()).hasSize(running.size() - survivors.size());
        if (!victimGangs.isEmpty() && scheduler.quota(gang.tenant()).gpusPerModel().isEmpty()) {
          assertNoVictimCouldBeSpared(world, survivors, admit, gang, where);
          if (exactSearchLimit > 0
              && assertNoCheaperVictims(world, running, admit, gang, exactSearchLimit, where)) {
            optimal++;
          }
        }
        running = survivors;
        for (Placement placement : admit.placements()) {
          running.add(new RunningPod(gang.name(), gang.tenant(), gang.tier(), placement, 0));
        }
        gangSizes.put(gang.name(), gang.size());
        assertNoOvercommit(world.nodes(), running, where);
        assertNoPartialGang(running, gangSizes, where);
        assertHighWithinQuota(world, running, where);
      }
    }
    // The workloads must exercise what they claim to.
    assertThat(admitted).isGreaterThan(SEEDS * 5);
    if (topology) {
      assertThat(requiredAdmitted).isGreaterThan(SEEDS);
      assertThat(preferredOneSwitch).isGreaterThan(SEEDS);
    }
    assertThat(preempting).isGreaterThan(SEEDS / 4);
    if (exactSearchLimit > 0) {
      assertThat(optimal).isGreaterThan(SEEDS / 4);
    }
  }

  /**
   * Checks, by trying every cheaper set of preemptible gangs, that none would have let the gang
   * fit; false (nothing checked) when there are more candidates than the exact search takes.
   */
  private static boolean assertNoCheaperVictims(
      World world,
      List<RunningPod> running,
      SchedulingDecision.Admit admit,
      Gang gang,
      int limit,
      String where) {
    Map<String, List<RunningPod>> lowGangs = new TreeMap<>();
    running.forEach(p -> lowGangs.computeIfAbsent(p.gang(), g -> new ArrayList<>()).add(p));
    lowGangs.values().removeIf(pods -> pods.stream().anyMatch(p -> p.tier() != Tier.LOW));
    if (lowGangs.size() > limit) {
      return false;
    }
    long chosen = cost(admit.victims());
    List<List<RunningPod>> gangs = new ArrayList<>(lowGangs.values());
    int n = world.nodes().size();
    for (int set = 0; set < 1 << gangs.size(); set++) {
      List<RunningPod> evicted = new ArrayList<>();
      for (int i = 0; i < gangs.size(); i++) {
        if ((set & 1 << i) != 0) {
          evicted.addAll(gangs.get(i));
        }
      }
      if (cost(evicted) >= chosen) {
        continue;
      }
      ClusterState cluster = new ClusterState(world.nodes());
      running.stream().filter(p -> !evicted.contains(p)).forEach(p -> cluster.bind(p.placement()));
      assertThat(GangPlacer.decide(gang, cluster, Packing.placer(n)))
          .as(where + ": evicting " + evicted + " is cheaper than " + admit.victimGangs())
          .isInstanceOf(GangUnschedulable.class);
    }
    return true;
  }

  private static Set<String> switchesOf(World world, List<Placement> placements) {
    Set<String> switches = new HashSet<>();
    for (Placement p : placements) {
      switches.add(world.nodes().get(p.nodeIndex()).roceSwitch());
    }
    return switches;
  }

  private static long cost(List<RunningPod> pods) {
    long total = 0;
    for (RunningPod p : pods) {
      total += p.gpuMilli() * p.runningSeconds();
    }
    return total;
  }

  @Test
  void aTenantWithinQuotaAlwaysGetsItsQuotaBack() {
    // One-GPU pods on identical 8-GPU nodes with room for 8 pods' CPU and memory, and quotas that
    // sum to at most the cluster: whatever LOW work runs, evicting it frees enough for any tenant
    // still within its quota. (Gangs of multi-GPU pods can be stranded by fragmentation, which no
    // quota check alone prevents.)
    int checked = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random r = new Random(seed);
      int n = 2 + r.nextInt(4);
      List<NodeSpec> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        nodes.add(new NodeSpec("n" + i, 64_000, 262_144, 8, "A100"));
      }
      int left = 8 * n;
      List<TenantQuota> quotas = new ArrayList<>();
      for (String tenant : TENANTS) {
        int gpus = r.nextInt(left + 1);
        left -= gpus;
        quotas.add(new TenantQuota(tenant, gpus));
      }
      Scheduler scheduler = new Scheduler(Packing.placer(n), quotas);
      List<RunningPod> running = new ArrayList<>();
      for (int step = 0; step < 60; step++) {
        running = age(finishSome(running, r), r);
        Gang gang = singleGpuGang(r, "g" + step, TENANTS.get(r.nextInt(3)), r.nextInt(3) == 0);
        if (scheduler.decide(nodes, running, gang) instanceof SchedulingDecision.Admit admit) {
          running = apply(running, admit);
        }
      }
      for (TenantQuota quota : quotas) {
        long used = highGpuMilli(running, quota.tenant());
        int headroom = (int) ((quota.gpuMilli() - used) / NodeSpec.GPU_MILLI);
        if (headroom == 0) {
          continue;
        }
        checked++;
        Gang gang = singleGpuGang(r, "claim", quota.tenant(), true);
        gang =
            new Gang(
                "claim",
                quota.tenant(),
                Tier.HIGH,
                gang.members().subList(0, Math.min(headroom, gang.size())));

        SchedulingDecision decision = scheduler.decide(nodes, running, gang);

        assertThat(decision)
            .as("seed %d tenant %s: %s", seed, quota.tenant(), decision)
            .isInstanceOf(SchedulingDecision.Admit.class);
      }
    }
    assertThat(checked).isGreaterThan(SEEDS / 2);
  }

  private static Gang singleGpuGang(Random r, String name, String tenant, boolean high) {
    List<PodRequest> members = new ArrayList<>();
    for (int m = 0, size = 1 + r.nextInt(3); m < size; m++) {
      members.add(
          new PodRequest(
              name + "-" + m,
              1000 + r.nextInt(4) * 1000L,
              1024 + r.nextInt(16) * 1024L,
              1,
              1000,
              Set.of()));
    }
    return new Gang(name, tenant, high ? Tier.HIGH : Tier.LOW, members);
  }

  private static List<RunningPod> apply(List<RunningPod> running, SchedulingDecision.Admit admit) {
    Set<String> victims = new HashSet<>(admit.victimGangs());
    List<RunningPod> next = new ArrayList<>();
    for (RunningPod pod : running) {
      if (!victims.contains(pod.gang())) {
        next.add(pod);
      }
    }
    Gang gang = admit.gang();
    for (Placement placement : admit.placements()) {
      next.add(new RunningPod(gang.name(), gang.tenant(), gang.tier(), placement, 0));
    }
    return next;
  }

  /** Ends a random running gang now and then, so capacity frees up as in a real cluster. */
  private static List<RunningPod> finishSome(List<RunningPod> running, Random r) {
    if (running.isEmpty() || r.nextInt(4) != 0) {
      return running;
    }
    String done = running.get(r.nextInt(running.size())).gang();
    return new ArrayList<>(running.stream().filter(p -> !p.gang().equals(done)).toList());
  }

  /** Advances every gang's running time by its own random amount, the same for all its pods. */
  private static List<RunningPod> age(List<RunningPod> running, Random r) {
    Map<String, Long> delta = new TreeMap<>();
    for (RunningPod pod : running) {
      delta.computeIfAbsent(pod.gang(), g -> (long) r.nextInt(600));
    }
    List<RunningPod> aged = new ArrayList<>();
    for (RunningPod p : running) {
      aged.add(
          new RunningPod(
              p.gang(),
              p.tenant(),
              p.tier(),
              p.placement(),
              p.runningSeconds() + delta.get(p.gang())));
    }
    return aged;
  }

  private static void assertNoVictimCouldBeSpared(
      World world,
      List<RunningPod> survivors,
      SchedulingDecision.Admit admit,
      Gang gang,
      String where) {
    int n = world.nodes().size();
    ClusterState cluster = new ClusterState(world.nodes());
    survivors.forEach(p -> cluster.bind(p.placement()));
    assertThat(GangPlacer.decide(gang, cluster, Packing.placer(n)))
        .as(where + ": fits once the victims are gone")
        .isInstanceOf(GangPlacement.class);
    for (String victim : admit.victimGangs()) {
      List<RunningPod> pods =
          admit.victims().stream().filter(p -> p.gang().equals(victim)).toList();
      pods.forEach(p -> cluster.bind(p.placement()));
      assertThat(GangPlacer.decide(gang, cluster, Packing.placer(n)))
          .as(where + ": victim " + victim + " was needed")
          .isInstanceOf(GangUnschedulable.class);
      pods.forEach(p -> cluster.unbind(p.placement()));
    }
  }

  /** Counts resources from the running pods alone, not through {@link ClusterState}. */
  private static void assertNoOvercommit(
      List<NodeSpec> nodes, List<RunningPod> running, String where) {
    long[] cpu = new long[nodes.size()];
    long[] memory = new long[nodes.size()];
    int[][] gpu = new int[nodes.size()][];
    for (int i = 0; i < nodes.size(); i++) {
      gpu[i] = new int[nodes.get(i).gpuCount()];
    }
    for (RunningPod running1 : running) {
      Placement p = running1.placement();
      NodeSpec node = nodes.get(p.nodeIndex());
      assertThat(p.nodeName()).isEqualTo(node.name());
      int[] gpus = p.gpuIndices();
      assertThat(gpus).as(where + ": " + p).hasSize(p.pod().gpuCount()).doesNotHaveDuplicates();
      if (gpus.length > 0) {
        assertThat(p.pod().acceptsModel(node.gpuModel())).as(where + ": model of " + p).isTrue();
      }
      cpu[p.nodeIndex()] += p.pod().cpuMilli();
      memory[p.nodeIndex()] += p.pod().memoryMib();
      for (int g : gpus) {
        gpu[p.nodeIndex()][g] += p.pod().gpuMilli();
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec node = nodes.get(i);
      assertThat(cpu[i]).as(where + ": CPU of " + node.name()).isLessThanOrEqualTo(node.cpuMilli());
      assertThat(memory[i])
          .as(where + ": memory of " + node.name())
          .isLessThanOrEqualTo(node.memoryMib());
      for (int g = 0; g < gpu[i].length; g++) {
        assertThat(gpu[i][g])
            .as(where + ": GPU " + g + " of " + node.name())
            .isLessThanOrEqualTo(NodeSpec.GPU_MILLI);
      }
    }
  }

  private static void assertNoPartialGang(
      List<RunningPod> running, Map<String, Integer> gangSizes, String where) {
    Map<String, Integer> counts = new HashMap<>();
    running.forEach(p -> counts.merge(p.gang(), 1, Integer::sum));
    counts.forEach(
        (gang, count) ->
            assertThat(count).as(where + ": pods of gang " + gang).isEqualTo(gangSizes.get(gang)));
  }

  private static void assertHighWithinQuota(World world, List<RunningPod> running, String where) {
    for (TenantQuota quota : world.quotas()) {
      assertThat(highGpuMilli(running, quota.tenant()))
          .as(where + ": HIGH GPUs of " + quota.tenant())
          .isLessThanOrEqualTo(quota.gpuMilli());
      Map<String, Long> byModel = new HashMap<>();
      for (RunningPod p : running) {
        if (p.tenant().equals(quota.tenant()) && p.tier() == Tier.HIGH) {
          String model = world.nodes().get(p.placement().nodeIndex()).gpuModel();
          byModel.merge(model, p.gpuMilli(), Long::sum);
        }
      }
      quota
          .gpusPerModel()
          .forEach(
              (model, cap) ->
                  assertThat(byModel.getOrDefault(model, 0L))
                      .as(where + ": HIGH " + model + " GPUs of " + quota.tenant())
                      .isLessThanOrEqualTo((long) cap * NodeSpec.GPU_MILLI));
    }
  }

  private static long highGpuMilli(List<RunningPod> running, String tenant) {
    long used = 0;
    for (RunningPod p : running) {
      if (p.tenant().equals(tenant) && p.tier() == Tier.HIGH) {
        used += p.gpuMilli();
      }
    }
    return used;
  }
}
