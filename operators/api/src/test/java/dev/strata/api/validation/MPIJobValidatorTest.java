package dev.strata.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.testing.Examples;
import dev.strata.api.testing.ProjectPaths;
import java.util.List;
import org.junit.jupiter.api.Test;

class MPIJobValidatorTest {
  private static MPIJob pi() {
    return Examples.mpiJob(ProjectPaths.upstreamCompat().resolve("mpi-operator/pi-pi.yaml"));
  }

  private static MPIJob parse(String yaml) {
    return Examples.SERIALIZATION.unmarshal("---\n" + yaml, MPIJob.class);
  }

  @Test
  void anEmptyJobGetsEveryProblemAtOnceAndNoException() {
    List<FieldError> errors =
        MPIJobValidator.validate(parse("{apiVersion: kubeflow.org/v2beta1, kind: MPIJob}"));

    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactly(
            "metadata.name: Required value: must be set",
            "spec.mpiReplicaSpecs: Required value: must have replica specs");
  }

  @Test
  void messagesReadLikeTheApiServers() {
    MPIJob job = pi();
    job.getSpec().getMpiReplicaSpecs().get("Launcher").setReplicas(2);
    job.getSpec().getMpiReplicaSpecs().get("Worker").setRestartPolicy("Always");

    assertThat(MPIJobValidator.validate(job))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.mpiReplicaSpecs[Launcher].replicas: Invalid value: 2: must be 1",
            "spec.mpiReplicaSpecs[Worker].restartPolicy: Unsupported value: \"Always\":"
                + " supported values: \"Never\", \"OnFailure\"");
  }

  @Test
  void theNameLimitDependsOnTheNumberOfWorkers() {
    MPIJob job = pi();
    job.getMetadata().setName("a".repeat(54));
    job.getSpec().getMpiReplicaSpecs().get("Worker").setReplicas(10);
    assertThat(MPIJobValidator.validate(job)).as("a-…-worker-9 is 63 characters").isEmpty();

    job.getSpec().getMpiReplicaSpecs().get("Worker").setReplicas(11);
    assertThat(MPIJobValidator.validate(job))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("metadata.name");
              assertThat(e.detail()).contains("-worker-10", "no more than 63 characters");
            });
  }

  @Test
  void aWorkerSpecWithoutReplicasIsRefusedAsUpstreamDoes() {
    MPIJob job = pi();
    job.getSpec().getMpiReplicaSpecs().get("Worker").setReplicas(null);

    assertThat(MPIJobValidator.validate(job))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.mpiReplicaSpecs[Worker].replicas: Invalid value: 0:"
                + " must be greater than or equal to 1");
  }

  @Test
  void aJobWithOnlyALauncherIsValid() {
    MPIJob job = pi();
    job.getSpec().getMpiReplicaSpecs().remove("Worker");

    assertThat(MPIJobValidator.validate(job)).isEmpty();
  }

  @Test
  void managedByAndQueueCannotChange() {
    MPIJob old = pi();
    old.getSpec().getRunPolicy().setSchedulingPolicy(new dev.strata.api.common.SchedulingPolicy());
    old.getSpec().getRunPolicy().getSchedulingPolicy().setQueue("team-a");
    MPIJob updated = Examples.SERIALIZATION.clone(old);
    updated.getSpec().getRunPolicy().setManagedBy("kueue.x-k8s.io/multikueue");
    updated.getSpec().getRunPolicy().getSchedulingPolicy().setQueue("team-b");

    assertThat(MPIJobValidator.validateUpdate(old, updated))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.runPolicy.managedBy: Invalid value: \"kueue.x-k8s.io/multikueue\":"
                + " field is immutable",
            "spec.runPolicy.schedulingPolicy.queue: Invalid value: \"team-b\": field is immutable");
    assertThat(MPIJobValidator.validateUpdate(old, Examples.SERIALIZATION.clone(old))).isEmpty();
  }
}
