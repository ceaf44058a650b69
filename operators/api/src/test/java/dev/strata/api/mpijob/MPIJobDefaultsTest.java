package dev.strata.api.mpijob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.Examples;
import dev.strata.api.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

class MPIJobDefaultsTest {
  private static MPIJob parse(String yaml) {
    return Examples.SERIALIZATION.unmarshal("---\n" + yaml, MPIJob.class);
  }

  @Test
  void fillsEveryUpstreamDefault() {
    MPIJob job =
        parse(
            """
            apiVersion: kubeflow.org/v2beta1
            kind: MPIJob
            metadata: {name: pi}
            spec:
              mpiReplicaSpecs:
                Launcher: {template: {spec: {containers: [{name: l, image: i}]}}}
                Worker: {template: {spec: {containers: [{name: w, image: i}]}}}
            """);

    MPIJobSpec spec = MPIJobDefaults.withDefaults(job).getSpec();

    assertThat(spec.getSlotsPerWorker()).isEqualTo(1);
    assertThat(spec.getRunLauncherAsWorker()).isFalse();
    assertThat(spec.getSshAuthMountPath()).isEqualTo("/root/.ssh");
    assertThat(spec.getMpiImplementation()).isEqualTo("OpenMPI");
    assertThat(spec.getLauncherCreationPolicy()).isEqualTo("AtStartup");
    assertThat(spec.getRunPolicy().getCleanPodPolicy()).isEqualTo("None");
    assertThat(spec.getRunPolicy().getSuspend()).isFalse();
    assertThat(spec.getRunPolicy().getBackoffLimit()).isNull();
    MPIReplicaSpec launcher = spec.getMpiReplicaSpecs().get("Launcher");
    assertThat(launcher.getReplicas()).isEqualTo(1);
    assertThat(launcher.getRestartPolicy()).isEqualTo("OnFailure");
    MPIReplicaSpec worker = spec.getMpiReplicaSpecs().get("Worker");
    assertThat(worker.getRestartPolicy()).isEqualTo("Never");
    assertThat(worker.getReplicas()).as("upstream defaults missing worker replicas to 0").isZero();
  }

  @Test
  void keepsWhatTheUserSetAndLeavesTheArgumentAlone() {
    MPIJob job =
        Examples.mpiJob(ProjectPaths.upstreamCompat().resolve("mpi-operator/pi-pi-intel.yaml"));
    String before = Examples.SERIALIZATION.asJson(job);

    MPIJob defaulted = MPIJobDefaults.withDefaults(job);

    assertThat(Examples.SERIALIZATION.asJson(job)).isEqualTo(before);
    assertThat(defaulted.getSpec().getMpiImplementation()).isEqualTo("Intel");
    assertThat(defaulted.getSpec().getSshAuthMountPath())
        .isEqualTo(job.getSpec().getSshAuthMountPath());
    assertThat(defaulted.getSpec().getRunPolicy().getCleanPodPolicy())
        .isEqualTo(job.getSpec().getRunPolicy().getCleanPodPolicy());
  }

  @Test
  void aJobWithNoSpecGetsOneInsteadOfFailing() {
    MPIJob job = parse("{apiVersion: kubeflow.org/v2beta1, kind: MPIJob, metadata: {name: x}}");

    MPIJob defaulted = MPIJobDefaults.withDefaults(job);

    assertThat(defaulted.getSpec().getSlotsPerWorker()).isEqualTo(1);
    assertThat(defaulted.getSpec().getMpiReplicaSpecs()).isNull();
  }
}
