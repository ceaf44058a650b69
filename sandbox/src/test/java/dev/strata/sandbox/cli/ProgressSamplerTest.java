package dev.strata.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.sandbox.sim.ComputeNodeInventory;
import dev.strata.sandbox.sim.NodeInventorySpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot as read from an API server holding both the jobs and the GPU nodes. */
@EnableKubernetesMockClient(crud = true)
class ProgressSamplerTest {
  KubernetesClient client;

  private void pod(String name, String node, String phase, int gpus, Map<String, String> labels) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withNewResources()
            .withLimits(
                gpus == 0
                    ? Map.of()
                    : Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus))))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.resource(pod).create();
    created.setStatus(new PodStatusBuilder().withPhase(phase).build());
    client.resource(created).updateStatus();
  }

  @Test
  void countsRunningPodsPerJobAndGpusInUsePerModel() {
    ComputeNodeInventory.createIn(client, NodeInventorySpec.parse("v100=2,p100=1"));
    client
        .resource(
            new KubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: kubeflow.org/v2beta1
                    kind: MPIJob
                    metadata: {name: pi, namespace: default}
                    spec:
                      mpiReplicaSpecs:
                        Worker: {replicas: 2, template: {spec: {containers: [{name: w, image: i}]}}}
                    status:
                      conditions:
                      - {type: Created, status: "True"}
                      - {type: Running, status: "True"}
                    """,
                    MPIJob.class))
        .create();
    Map<String, String> pi = Map.of("training.kubeflow.org/job-name", "pi");
    pod("pi-worker-0", "v100-00", "Running", 8, pi);
    pod("pi-worker-1", "v100-01", "Running", 4, pi);
    pod("pi-launcher-x", "p100-00", "Pending", 0, pi);
    pod("other", "p100-00", "Running", 2, Map.of());
    pod("done", "p100-00", "Succeeded", 2, Map.of());

    Instant now = Instant.now();
    ProgressSnapshot snapshot =
        new ProgressSampler(Map.of("team-a", client), client)
            .sample(
                List.of(new SubmittedJob("team-a", "default", "pi", MPIJob.class)),
                now.minusSeconds(30),
                now);

    assertThat(snapshot.elapsed()).isEqualTo(Duration.ofSeconds(30));
    ProgressSnapshot.Job job = snapshot.jobs().get(0);
    assertThat(job.kind()).isEqualTo("MPIJob");
    assertThat(job.state()).isEqualTo("Running");
    assertThat(job.podsRunning()).isEqualTo(2);
    assertThat(job.pods()).isEqualTo(3);
    assertThat(job.note())
        .isEqualTo("pod pi-launcher-x Pending on node p100-00: not started there yet");
    assertThat(snapshot.gpus())
        .containsExactly(
            new ProgressSnapshot.GpuUse("V100", 12, 16), new ProgressSnapshot.GpuUse("P100", 2, 4));
  }
}
