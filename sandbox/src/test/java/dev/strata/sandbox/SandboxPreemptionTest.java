package dev.strata.sandbox;

import static dev.strata.sandbox.apiserver.KubeflowResources.MPIJOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.sandbox.apiserver.Kubectl;
import dev.strata.sandbox.apiserver.TestPaths;
import dev.strata.sandbox.sim.NodeInventorySpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiers across the whole platform: on a compute cluster of two V100 servers (16 GPUs, so 8 of HIGH
 * quota per tenant), one tenant's LOW MPIJob borrows every GPU, and another tenant's job of
 * priority class {@code strata-high} within its quota takes GPUs back: the compute scheduler
 * preempts the LOW gang whole, the first tenant sees its pods fail as Preempted, and the HIGH job
 * runs. Driven with the real kubectl, as a user would.
 */
@Timeout(300)
class SandboxPreemptionTest {
  private static final String TEAM_A = "team-a";
  private static final String TEAM_B = "team-b";

  @TempDir static Path dir;
  private static Sandbox sandbox;
  private static Kubectl kubectl;

  @BeforeAll
  static void startSandbox() throws IOException {
    assumeTrue(Kubectl.find() != null, "kubectl is not on PATH; the end-to-end tests drive it");
    sandbox =
        Sandbox.start(
            new SandboxOptions(
                List.of(TEAM_A, TEAM_B), NodeInventorySpec.parse("v100=2"), 0, false),
            SandboxParts.defaults());
    Path kubeconfig = dir.resolve("kubeconfig");
    sandbox.writeKubeconfig(kubeconfig);
    kubectl = new Kubectl(kubeconfig, Files.createDirectories(dir.resolve("home")));
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void aHighJobWithinItsQuotaTakesGpusBackFromAnotherTenantsLowJob() throws IOException {
    String resnet = Files.readString(TestPaths.root().resolve("examples/mpijob-resnet-v100.yaml"));
    // LOW (no priority class): both servers' GPUs, and a launcher that runs until deleted.
    Path low =
        Files.writeString(
            dir.resolve("low.yaml"),
            resnet
                .replace("name: resnet50", "name: borrower")
                .replace(
                    "sandbox.strata.dev/run-seconds: \"20\"",
                    "sandbox.strata.dev/run-seconds: \"-1\""));
    // HIGH (the example's priority class strata-high): one server, the tenant's whole quota.
    Path high = TestPaths.root().resolve("examples/tiers/mpijob-resnet-v100-high.yaml");

    kubectl(TEAM_B, "create", "namespace", "elastic");
    kubectl(TEAM_B, "apply", "-n", "elastic", "-f", low.toString());
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(jobState(TEAM_B, "elastic", "borrower")).isEqualTo("Running"));
    assertThat(computePods(TEAM_B))
        .filteredOn(p -> "Running".equals(p.getStatus().getPhase()))
        .hasSize(3)
        .allSatisfy(
            p -> assertThat(p.getMetadata().getLabels()).containsEntry("strata.dev/tier", "low"));

    kubectl(TEAM_A, "create", "namespace", "prod");
    kubectl(TEAM_A, "apply", "-n", "prod", "-f", high.toString());
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(jobState(TEAM_A, "prod", "resnet50-high")).isEqualTo("Running"));

    assertThat(computePods(TEAM_A))
        .filteredOn(p -> p.getMetadata().getName().contains("worker"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getMetadata().getLabels()).containsEntry("strata.dev/tier", "high");
              assertThat(p.getSpec().getPriorityClassName()).isEqualTo(SandboxTiers.HIGH_CLASS);
            });
    // The borrower's pods were preempted whole, and its tenant is told so on its pods' Events.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Event> preempted =
                  tenant(TEAM_B).v1().events().inNamespace("elastic").list().getItems().stream()
                      .filter(e -> "Preempted".equals(e.getReason()))
                      .toList();
              assertThat(preempted)
                  .extracting(e -> e.getInvolvedObject().getName())
                  .anyMatch(n -> n.startsWith("borrower-worker-0"))
                  .anyMatch(n -> n.startsWith("borrower-worker-1"));
              // Tenants never see each other: the preemptor is not named to the borrower.
              assertThat(preempted)
                  .allSatisfy(
                      e ->
                          assertThat(e.getMessage())
                              .contains("HIGH work of another tenant")
                              .doesNotContain("team-a")
                              .doesNotContain("resnet50-high"));
            });
    assertThat(kubectl(TEAM_B, "get", "events", "-n", "elastic").out()).contains("Preempted");
    // Its workers never restart (restartPolicy Never): the borrower fails for the eviction rather
    // than waiting for workers that will not come back.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(jobState(TEAM_B, "elastic", "borrower")).isEqualTo("Failed"));
    assertThat(kubectl(TEAM_B, "describe", "mpijob", "-n", "elastic", "borrower").out())
        .contains("MPIJobEvicted");
  }

  private static Kubectl.Result kubectl(String tenant, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--context";
    all[1] = Sandbox.tenantContext(tenant);
    System.arraycopy(args, 0, all, 2, args.length);
    Kubectl.Result result = kubectl.run(all);
    assertThat(result.exitCode()).as("kubectl %s: %s", List.of(all), result.all()).isZero();
    return result;
  }

  private static KubernetesClient tenant(String name) {
    return sandbox.tenants().get(name).client();
  }

  private static List<Pod> computePods(String tenant) {
    return sandbox.compute().client().pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> tenant.equals(p.getMetadata().getLabels().get("strata.dev/tenant")))
        .toList();
  }

  /** The type of the job's latest True condition, {@code Submitted} before any. */
  private static String jobState(String tenant, String namespace, String name) {
    GenericKubernetesResource job =
        tenant(tenant)
            .genericKubernetesResources(MPIJOBS)
            .inNamespace(namespace)
            .withName(name)
            .get();
    String state = "Submitted";
    if (job != null
        && job.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> condition && "True".equals(condition.get("status"))) {
          state = String.valueOf(condition.get("type"));
        }
      }
    }
    return state;
  }
}
