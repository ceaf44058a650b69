package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedRunTest {
  private static Pod pod(Map<String, String> annotations, List<String> command) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withCommand(command)
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void withoutAnnotationsAPodRunsFiveSecondsAndExitsZero() {
    SimulatedRun run = SimulatedRun.of(pod(Map.of(), List.of("python", "train.py")));
    assertThat(run.runFor()).isEqualTo(Duration.ofSeconds(5));
    assertThat(run.exitCode()).isZero();
    assertThat(run.problem()).isNull();
  }

  @Test
  void annotationsSetTheTimeAndTheExitCode() {
    SimulatedRun run =
        SimulatedRun.of(
            pod(Map.of(SimulatedRun.RUN_SECONDS, "2.5", SimulatedRun.EXIT_CODE, "137"), List.of()));
    assertThat(run.runFor()).isEqualTo(Duration.ofMillis(2500));
    assertThat(run.exitCode()).isEqualTo(137);
  }

  @Test
  void badAnnotationsFallBackToTheDefaultsAndSaySo() {
    SimulatedRun run =
        SimulatedRun.of(
            pod(
                Map.of(SimulatedRun.RUN_SECONDS, "soon", SimulatedRun.EXIT_CODE, "300"),
                List.of()));
    assertThat(run.runFor()).isEqualTo(Duration.ofSeconds(5));
    assertThat(run.exitCode()).isZero();
    assertThat(run.problem()).contains("'soon' is not a number").contains("must be 0..255");
  }

  @Test
  void sshdAndNegativeRunSecondsRunUntilDeleted() {
    assertThat(SimulatedRun.of(pod(Map.of(), List.of("/usr/sbin/sshd", "-De"))).runsUntilDeleted())
        .isTrue();
    assertThat(
            SimulatedRun.of(
                    pod(Map.of(), List.of("sh", "-c", "mkdir -p /run/sshd && /usr/sbin/sshd -De")))
                .runsUntilDeleted())
        .isTrue();
    assertThat(
            SimulatedRun.of(pod(Map.of(SimulatedRun.RUN_SECONDS, "-1"), List.of()))
                .runsUntilDeleted())
        .isTrue();
    assertThat(
            SimulatedRun.of(pod(Map.of(), List.of("mpirun", "-n", "2", "ssh-keygen")))
                .runsUntilDeleted())
        .isFalse();
  }
}
