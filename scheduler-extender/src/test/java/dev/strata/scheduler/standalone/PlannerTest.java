package dev.strata.scheduler.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.core.TopologyMode;
import dev.strata.scheduler.kube.ClusterSnapshot;
import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pass logic on its own, without an API server: what it plans for given objects. */
class PlannerTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  final Planner planner =
      new Planner(
          StandaloneConfig.defaults(List.of(new TenantQuota("team-a", 8)))
              .withGangTimeout(Duration.ofSeconds(60)));

  static Node node(String name, int gpus) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("32"))
        .addToAllocatable("memory", new Quantity("64Gi"))
        .addToAllocatable(KubeKeys.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
        .endStatus()
        .build();
  }

  static Pod pod(String name, int gpus, String tier) {
    return new PodBuilder(MockCluster.member("g", 0, gpus, 2, "team-a", tier).build())
        .editMetadata()
        .withName(name)
        .withUid("uid-" + name)
        .withCreationTimestamp("2026-01-01T11:59:00Z")
        .endMetadata()
        .build();
  }

  @Test
  void aGangWaitsForItsVictimsAndLapsesWhenTheyAreGone() {
    Pod victim = pod("v", 4, "low");
    victim.getMetadata().getLabels().put(KubeKeys.GANG_NAME_LABEL, "low");
    victim.getSpec().setNodeName("n1");
    Pod a = pod("g-0", 2, "high");
    Pod b = pod("g-1", 2, "high");
    Nomination nomination =
        new Nomination(
            Set.of("uid-v"),
            Map.of(
                "uid-g-0", new ClusterSnapshot.Assumed("n1", new int[] {0, 1}),
                "uid-g-1", new ClusterSnapshot.Assumed("n1", new int[] {2, 3})),
            NOW.minusSeconds(5));

    Planner.Plan waiting =
        planner.plan(
            List.of(node("n1", 4)),
            List.of(victim, a, b),
            Map.of(),
            Map.of("compute/g", nomination),
            NOW);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.lapsedNominations()).isEmpty();

    Planner.Plan gone =
        planner.plan(
            List.of(node("n1", 4)), List.of(a, b), Map.of(), Map.of("compute/g", nomination), NOW);
    assertThat(gone.lapsedNominations()).containsExactly("compute/g");
    assertThat(gone.actions()).singleElement().isInstanceOf(Action.Bind.class);

    Planner.Plan timedOut =
        planner.plan(
            List.of(node("n1", 4)),
            List.of(victim, a, b),
            Map.of(),
            Map.of("compute/g", nomination),
            NOW.plusSeconds(60));
    assertThat(timedOut.lapsedNominations()).containsExactly("compute/g");
  }

  @Test
  void aReasonAlreadyOnThePodIsNotReportedAgain() {
    Pod big = pod("g-0", 8, "high");
    Pod other = pod("g-1", 8, "high");
    Planner.Plan first =
        planner.plan(List.of(node("n1", 4)), List.of(big, other), Map.of(), Map.of(), NOW);
    assertThat(first.actions()).hasSize(2).allMatch(a -> a instanceof Action.Report);
    String message = ((Action.Report) first.actions().get(0)).message();

    for (Pod p : List.of(big, other)) {
      p.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .addNewCondition()
              .withType("PodScheduled")
              .withStatus("False")
              .withReason("Unschedulable")
              .withMessage(message)
              .endCondition()
              .build());
    }
    assertThat(
            planner
                .plan(List.of(node("n1", 4)), List.of(big, other), Map.of(), Map.of(), NOW)
                .actions())
        .isEmpty();
  }

  @Test
  void membersThatDisagreeOnTierAreReportedNotPlaced() {
    Pod high = pod("g-0", 1, "high");
    Pod low = pod("g-1", 1, "low");

    Planner.Plan plan =
        planner.plan(List.of(node("n1", 4)), List.of(high, low), Map.of(), Map.of(), NOW);

    assertThat(plan.actions())
        .hasSize(2)
        .allSatisfy(
            a ->
                assertThat(((Action.Report) a).message())
                    .isEqualTo(
                        "gang compute/g cannot start: its members disagree on tenant or tier"
                            + " (team-a/HIGH and team-a/LOW)."));
  }

  @Test
  void aGangThatRequiresOneSwitchWaitsRatherThanSpreadAndAPreferringOneSpreads() {
    Node s1 = node("n1", 4);
    s1.getMetadata().setLabels(Map.of(NodeSpec.SWITCH_LABEL, "s1"));
    Node s2 = node("n2", 4);
    s2.getMetadata().setLabels(Map.of(NodeSpec.SWITCH_LABEL, "s2"));
    Pod a = pod("g-0", 4, "high");
    Pod b = pod("g-1", 4, "high");

    Planner.Plan spread = planner.plan(List.of(s1, s2), List.of(a, b), Map.of(), Map.of(), NOW);
    assertThat(spread.actions()).singleElement().isInstanceOf(Action.Bind.class);

    a.getMetadata().getAnnotations().put(TopologyMode.ANNOTATION, "required");
    Planner.Plan held = planner.plan(List.of(s1, s2), List.of(a, b), Map.of(), Map.of(), NOW);
    assertThat(held.actions())
        .hasSize(2)
        .allSatisfy(
            action ->
                assertThat(((Action.Report) action).message())
                    .contains("does not fit under one switch"));
  }

  @Test
  void membersGoInNaturalNameOrder() {
    assertThat(List.of("w-10", "w-2", "launcher", "w-1").stream().sorted(Planner.NATURAL).toList())
        .containsExactly("launcher", "w-1", "w-2", "w-10");
  }

  /** A member of gang {@code gang} (minimum {@code min}) of {@code gpus} GPUs. */
  static Pod member(String gang, int index, int gpus, int min, String tier) {
    return new PodBuilder(MockCluster.member(gang, index, gpus, min, "team-a", tier).build())
        .editMetadata()
        .withUid("uid-" + gang + "-" + index)
        .withCreationTimestamp("2026-01-01T11:59:00Z")
        .endMetadata()
        .build();
  }

  static Pod runningOn(Pod pod, String node, String gpus) {
    return new PodBuilder(pod)
        .editMetadata()
        .addToAnnotations(KubeKeys.GPU_INDICES_ANNOTATION, gpus)
        .endMetadata()
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  @Test
  void onePassDecidesEachGangOnTheRoomTheGangsBeforeItLeft() {
    java.util.Random random = new java.util.Random(7);
    List<Node> nodes = new java.util.ArrayList<>();
    List<Pod> pods = new java.util.ArrayList<>();
    for (int n = 0; n < 12; n++) {
      nodes.add(node("n" + n, 8));
      int used = random.nextInt(6);
      if (used > 0) {
        String gpus =
            String.join(
                ",",
                java.util.stream.IntStream.range(0, used).mapToObj(Integer::toString).toList());
        pods.add(runningOn(member("run" + n, 0, used, 1, "high"), "n" + n, gpus));
      }
    }
    for (int g = 0; g < 30; g++) {
      int size = 1 + random.nextInt(3);
      int gpus = 1 + random.nextInt(4);
      for (int m = 0; m < size; m++) {
        pods.add(member("p" + g, m, gpus, size, "low"));
      }
    }

    List<Action> onePass = planner.plan(nodes, pods, Map.of(), Map.of(), NOW).actions();

    // The same gangs decided one pass each, every pass reading back what the ones before placed.
    List<Action.Bind> onePassBinds =
        onePass.stream()
            .filter(Action.Bind.class::isInstance)
            .map(Action.Bind.class::cast)
            .toList();
    assertThat(onePassBinds).hasSizeGreaterThan(5);
    assertThat(onePass).anyMatch(Action.Report.class::isInstance);
    Map<String, ClusterSnapshot.Assumed> assumed = new java.util.HashMap<>();
    for (Action.Bind expected : onePassBinds) {
      Action.Bind next =
          planner.plan(nodes, pods, assumed, Map.of(), NOW).actions().stream()
              .filter(Action.Bind.class::isInstance)
              .map(Action.Bind.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(describe(next)).isEqualTo(describe(expected));
      next.members()
          .forEach(
              m ->
                  assumed.put(
                      m.pod().getMetadata().getUid(),
                      new ClusterSnapshot.Assumed(
                          m.placement().nodeName(), m.placement().gpuIndices())));
    }
    assertThat(
            planner.plan(nodes, pods, assumed, Map.of(), NOW).actions().stream()
                .filter(Action.Bind.class::isInstance))
        .isEmpty();
  }

  private static List<String> describe(Action.Bind bind) {
    return bind.members().stream()
        .map(
            m ->
                m.pod().getMetadata().getName()
                    + "@"
                    + m.placement().nodeName()
                    + java.util.Arrays.toString(m.placement().gpuIndices()))
        .toList();
  }

  @Test
  void aHighGangCanPreemptALowGangWhoseLastMemberThePassJustPlaced() {
    // The LOW gang has one member running; its other member is placed first in the pass (a gang
    // with members placed goes first), then the HIGH gang needs the whole node.
    Pod lowRunning = runningOn(member("low", 0, 1, 2, "low"), "n1", "0");
    Pod lowPending = member("low", 1, 1, 2, "low");
    Pod high = member("high", 0, 4, 1, "high");

    List<Action> actions =
        planner
            .plan(
                List.of(node("n1", 4)),
                List.of(lowRunning, lowPending, high),
                Map.of(),
                Map.of(),
                NOW)
            .actions();

    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).isInstanceOf(Action.Bind.class);
    Action.Preempt preempt = (Action.Preempt) actions.get(1);
    assertThat(preempt.victims())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("low-0", "low-1");
    // Same tenant: the victims are told which gang took their GPUs (another tenant's is not named).
    assertThat(Applier.preemptedMessage(preempt, lowPending))
        .isEqualTo("Preempted by HIGH gang compute/high of tenant team-a, which needs its GPUs");
    assertThat(preempt.nominated())
        .singleElement()
        .satisfies(m -> assertThat(m.placement().gpuIndices()).containsExactly(0, 1, 2, 3));
  }
}
