package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Job stand-in against the CRUD mock; the test plays the kubelet by writing pod phases. */
@EnableKubernetesMockClient(crud = true)
class BatchJobStandInTest {
  /** Generous: the CI machines are shared and slow at times; passing takes far less. */
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String NS = "team-a";
  KubernetesClient client;
  BatchJobStandIn standIn;

  @BeforeEach
  void start() {
    standIn = BatchJobStandIn.start(client);
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private void createJob(int backoffLimit) {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName("pi-launcher")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(backoffLimit)
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("training.kubeflow.org/job-role", "launcher")
            .addToAnnotations(SimulatedRun.RUN_SECONDS, "3")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("launcher")
            .withImage("mpi")
            .withCommand("mpirun", "pi")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(job).create();
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(NS).list().getItems();
  }

  private Job job() {
    return client.batch().v1().jobs().inNamespace(NS).withName("pi-launcher").get();
  }

  private void phase(Pod pod, String phase) {
    Pod fresh = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
    fresh.setStatus(new PodStatusBuilder().withPhase(phase).build());
    client.resource(fresh).updateStatus();
  }

  private boolean condition(String type) {
    Job job = job();
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private JobCondition get(String type) {
    return job().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aJobGetsOnePodFromItsTemplateAndCompletesWhenItSucceeds() {
    createJob(6);
    await().atMost(TIMEOUT).until(() -> pods().size() == 1);
    Pod pod = pods().get(0);
    assertThat(pod.getMetadata().getName()).startsWith("pi-launcher-");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("training.kubeflow.org/job-role", "launcher")
        .containsEntry("batch.kubernetes.io/job-name", "pi-launcher")
        .containsEntry("batch.kubernetes.io/controller-uid", job().getMetadata().getUid());
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(SimulatedRun.RUN_SECONDS, "3");
    assertThat(pod.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    assertThat(pod.getSpec().getContainers().get(0).getCommand()).containsExactly("mpirun", "pi");

    phase(pod, "Running");
    await().atMost(TIMEOUT).until(() -> Integer.valueOf(1).equals(job().getStatus().getActive()));
    phase(pod, "Succeeded");

    await().atMost(TIMEOUT).until(() -> condition("Complete"));
    assertThat(job().getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job().getStatus().getActive()).isZero();
    assertThat(job().getStatus().getCompletionTime()).isNotNull();
    assertThat(pods()).hasSize(1);
  }

  @Test
  void failedPodsAreReplacedUntilTheBackoffLimitThenTheJobFails() {
    createJob(1);
    await().atMost(TIMEOUT).until(() -> pods().size() == 1);
    phase(pods().get(0), "Failed");
    await().atMost(TIMEOUT).until(() -> pods().size() == 2);
    Pod second =
        pods().stream()
            .filter(p -> p.getStatus() == null || p.getStatus().getPhase() == null)
            .findFirst()
            .orElseThrow();
    phase(second, "Failed");

    await().atMost(TIMEOUT).until(() -> condition("Failed"));
    assertThat(get("Failed").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(job().getStatus().getFailed()).isEqualTo(2);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> pods().size() == 2);
  }

  @Test
  void suspendingTheJobDeletesItsRunningPod() {
    createJob(6);
    await().atMost(TIMEOUT).until(() -> pods().size() == 1);
    phase(pods().get(0), "Running");
    // The stand-in writes the Job's status meanwhile: a stale update gets 409 and is retried.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Job job = job();
              job.getSpec().setSuspend(true);
              client.resource(job).update();
            });

    await().atMost(TIMEOUT).until(() -> pods().isEmpty());
    await().atMost(TIMEOUT).until(() -> condition("Suspended"));
  }
}
