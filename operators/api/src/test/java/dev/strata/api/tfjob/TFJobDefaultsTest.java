package dev.strata.api.tfjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.Examples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import org.junit.jupiter.api.Test;

class TFJobDefaultsTest {
  private static TFJob parse(String yaml) {
    return Examples.SERIALIZATION.unmarshal("---\n" + yaml, TFJob.class);
  }

  private static Container container(TFJob job, String type, int index) {
    return job.getSpec()
        .getTfReplicaSpecs()
        .get(type)
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(index);
  }

  @Test
  void fillsEveryUpstreamDefault() {
    TFJob job =
        parse(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: mnist}
            spec:
              tfReplicaSpecs:
                ps: {template: {spec: {containers: [{name: tensorflow, image: i}]}}}
                WORKER: {template: {spec: {containers: [{name: sidecar, image: s}, {name: tensorflow, image: i}]}}}
            """);

    TFJob defaulted = TFJobDefaults.withDefaults(job);
    TFJobSpec spec = defaulted.getSpec();

    assertThat(spec.getTfReplicaSpecs()).containsOnlyKeys("PS", "Worker");
    assertThat(spec.getRunPolicy().getCleanPodPolicy()).isEqualTo("None");
    assertThat(spec.getRunPolicy().getSuspend()).isFalse();
    assertThat(spec.getSuccessPolicy()).isEmpty();
    assertThat(spec.getEnableDynamicWorker()).isNull();
    for (TFReplicaSpec replica : spec.getTfReplicaSpecs().values()) {
      assertThat(replica.getReplicas()).isEqualTo(1);
      assertThat(replica.getRestartPolicy()).isEqualTo("Never");
    }
    assertThat(container(defaulted, "Worker", 1).getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tfjob-port", 2222));
    assertThat(container(defaulted, "Worker", 0).getPorts()).isEmpty();
  }

  @Test
  void keepsADeclaredTfjobPortAndTheArgumentUntouched() {
    TFJob job =
        parse(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: mnist}
            spec:
              tfReplicaSpecs:
                Worker:
                  replicas: 3
                  restartPolicy: ExitCode
                  template:
                    spec:
                      containers:
                      - name: tensorflow
                        image: i
                        ports: [{name: tfjob-port, containerPort: 3333}]
            """);
    String before = Examples.SERIALIZATION.asJson(job);

    TFJob defaulted = TFJobDefaults.withDefaults(job);

    assertThat(Examples.SERIALIZATION.asJson(job)).isEqualTo(before);
    TFReplicaSpec worker = defaulted.getSpec().getTfReplicaSpecs().get("Worker");
    assertThat(worker.getReplicas()).isEqualTo(3);
    assertThat(worker.getRestartPolicy()).isEqualTo("ExitCode");
    assertThat(container(defaulted, "Worker", 0).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(3333);
  }

  @Test
  void aReplicaWithoutContainersIsLeftForTheValidator() {
    TFJob job =
        parse(
            "{apiVersion: kubeflow.org/v1, kind: TFJob, metadata: {name: x},"
                + " spec: {tfReplicaSpecs: {Worker: {template: {spec: {}}}, Foo: {}}}}");

    TFJob defaulted = TFJobDefaults.withDefaults(job);

    assertThat(defaulted.getSpec().getTfReplicaSpecs()).containsKeys("Worker", "Foo");
  }
}
