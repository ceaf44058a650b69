package dev.strata.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.Examples;
import dev.strata.api.tfjob.TFJob;
import org.junit.jupiter.api.Test;

class TFJobValidatorTest {
  private static TFJob parse(String yaml) {
    return Examples.SERIALIZATION.unmarshal("---\n" + yaml, TFJob.class);
  }

  @Test
  void replicaTypesMatchIgnoringCaseAsUpstreamDefaultingDoes() {
    TFJob job =
        parse(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: mnist}
            spec:
              tfReplicaSpecs:
                ps: {template: {spec: {containers: [{name: tensorflow, image: i}]}}}
                worker: {template: {spec: {containers: [{name: tensorflow, image: i}]}}}
            """);

    assertThat(TFJobValidator.validate(job)).isEmpty();
  }

  @Test
  void theSameTypeInTwoSpellingsIsADuplicate() {
    TFJob job =
        parse(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: mnist}
            spec:
              tfReplicaSpecs:
                PS: {template: {spec: {containers: [{name: tensorflow, image: i}]}}}
                ps: {template: {spec: {containers: [{name: tensorflow, image: i}]}}}
            """);

    assertThat(TFJobValidator.validate(job))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tfReplicaSpecs[ps]: Duplicate value: \"ps\":"
                + " the same replica type as PS in other letter case");
  }

  @Test
  void aReplicaWithoutContainersIsReportedOnceNotTwice() {
    TFJob job =
        parse(
            "{apiVersion: kubeflow.org/v1, kind: TFJob, metadata: {name: x},"
                + " spec: {tfReplicaSpecs: {Worker: {template: {spec: {containers: []}}}}}}");

    assertThat(TFJobValidator.validate(job))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tfReplicaSpecs[Worker].template.spec.containers: Required value:"
                + " must be specified");
  }

  @Test
  void nullsAnywhereGiveErrorsNotExceptions() {
    TFJob job =
        parse(
            "{apiVersion: kubeflow.org/v1, kind: TFJob, metadata: {name: Bad_Name},"
                + " spec: {tfReplicaSpecs: {Worker: null}, runPolicy: {cleanPodPolicy: Some}}}");

    assertThat(TFJobValidator.validate(job))
        .extracting(FieldError::field)
        .containsExactly(
            "metadata.name", "spec.tfReplicaSpecs[Worker]", "spec.runPolicy.cleanPodPolicy");
  }

  @Test
  void exitCodeAndAllWorkersAreAccepted() {
    TFJob job =
        parse(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: mnist}
            spec:
              successPolicy: AllWorkers
              enableDynamicWorker: true
              runPolicy: {managedBy: kubeflow.org/training-operator, backoffLimit: 3}
              tfReplicaSpecs:
                Chief: {restartPolicy: ExitCode, template: {spec: {containers: [{name: tensorflow, image: i}]}}}
                Worker: {replicas: 4, restartPolicy: Always, template: {spec: {containers: [{name: tensorflow, image: i}]}}}
                Evaluator: {restartPolicy: OnFailure, template: {spec: {containers: [{name: tensorflow, image: i}]}}}
            """);

    assertThat(TFJobValidator.validate(job)).isEmpty();
  }
}
