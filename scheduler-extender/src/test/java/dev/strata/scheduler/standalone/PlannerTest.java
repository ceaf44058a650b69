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
}
