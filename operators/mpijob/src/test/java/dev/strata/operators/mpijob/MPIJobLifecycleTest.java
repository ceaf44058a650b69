package dev.strata.operators.mpijob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.common.JobCondition;
import dev.strata.api.common.JobStatus;
import dev.strata.api.common.ReplicaStatus;
import dev.strata.api.mpijob.MPIJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Created → Running → Succeeded, step by step, and what repeated reconciles must not do. */
@EnableKubernetesMockClient(crud = true)
class MPIJobLifecycleTest {
  static final String NS = MockCluster.NAMESPACE;
  static final String WORKER_SELECTOR =
      "training.kubeflow.org/operator-name=mpi-operator,training.kubeflow.org/job-name=pi,"
          + "training.kubeflow.org/job-role=worker";

  KubernetesClient client;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  static List<String> conditions(MPIJob job) {
    return job.getStatus().getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .toList();
  }

  static String last(MPIJob job) {
    List<JobCondition> all = job.getStatus().getConditions();
    JobCondition c = all.get(all.size() - 1);
    return c.getType() + "=" + c.getStatus();
  }

  static String counts(ReplicaStatus status) {
    return status.getActive() + "/" + status.getSucceeded() + "/" + status.getFailed();
  }

  /** Reconciles again and asserts that not one object or Event was written. */
  void assertQuiet(String name) {
    Map<String, String> before = cluster.snapshot();
    MPIJobController.Outcome outcome = cluster.reconcile(name);
    assertThat(outcome.status()).isNull();
    assertThat(cluster.snapshot()).isEqualTo(before);
  }

  @Test
  void createdRunningSucceededWithOneEventEach() {
    cluster.create(TestJobs.basic("pi", 2));

    cluster.reconcile("pi");
    MPIJob job = cluster.job("pi");
    assertThat(conditions(job)).containsExactly("Created=True/MPIJobCreated");
    assertThat(job.getStatus().getConditions().get(0).getMessage())
        .isEqualTo("MPIJob team-a/pi is created.");
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(job.getStatus().getCompletionTime()).isNull();
    assertThat(counts(job.getStatus().getReplicaStatuses().get("Launcher"))).isEqualTo("0/0/0");
    assertThat(counts(job.getStatus().getReplicaStatuses().get("Worker"))).isEqualTo("0/0/0");
    assertThat(job.getStatus().getReplicaStatuses().get("Worker").getSelector())
        .isEqualTo(WORKER_SELECTOR);
    assertQuiet("pi");

    cluster.clock.advance(Duration.ofSeconds(30));
    cluster.setPhase("pi-worker-0", "Running");
    cluster.setPhase("pi-worker-1", "Running");
    cluster.reconcile("pi");
    job = cluster.job("pi");
    assertThat(last(job)).isEqualTo("Created=True"); // the launcher is not running yet
    assertThat(counts(job.getStatus().getReplicaStatuses().get("Worker"))).isEqualTo("2/0/0");

    cluster.startLauncherPod("pi");
    cluster.reconcile("pi");
    job = cluster.job("pi");
    assertThat(conditions(job))
        .containsExactly("Created=True/MPIJobCreated", "Running=True/MPIJobRunning");
    assertThat(job.getStatus().getConditions().get(1).getMessage())
        .isEqualTo("MPIJob team-a/pi is running.");
    assertThat(counts(job.getStatus().getReplicaStatuses().get("Launcher"))).isEqualTo("1/0/0");
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertQuiet("pi");

    cluster.clock.advance(Duration.ofMinutes(5));
    cluster.finishLauncher("pi", "Complete", "", "");
    cluster.reconcile("pi");
    job = cluster.job("pi");
    assertThat(conditions(job))
        .containsExactly(
            "Created=True/MPIJobCreated",
            "Running=False/MPIJobRunning",
            "Succeeded=True/MPIJobSucceeded");
    assertThat(last(job)).isEqualTo("Succeeded=True");
    assertThat(job.getStatus().getConditions().get(2).getMessage())
        .isEqualTo("MPIJob team-a/pi successfully completed.");
    assertThat(job.getStatus().getCompletionTime()).isEqualTo("2026-11-28T10:05:30Z");
    assertThat(counts(job.getStatus().getReplicaStatuses().get("Launcher"))).isEqualTo("0/1/0");

    cluster.reconcile("pi");
    cluster.reconcile("pi");
    assertThat(cluster.events())
        .extracting(Event::getType, Event::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Normal", "MPIJobCreated"),
            org.assertj.core.groups.Tuple.tuple("Normal", "MPIJobRunning"),
            org.assertj.core.groups.Tuple.tuple("Normal", "MPIJobSucceeded"));
    assertThat(cluster.events())
        .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("pi"));
    assertQuiet("pi");
  }

  @Test
  void observedGenerationFollowsTheSpec() {
    cluster.create(TestJobs.basic("pi", 1));
    cluster.reconcile("pi");
    MPIJob job = cluster.job("pi");
    assertThat(job.getStatus().getObservedGeneration())
        .isEqualTo(job.getMetadata().getGeneration());
  }

  @Test
  void aSecondReconcileWritesNothingEvenWhenTheServerReordersMapKeys() {
    cluster.create(TestJobs.basic("pi", 2));
    cluster.reconcile("pi");
    // A real API server returns maps with their keys sorted; the mock keeps the order written.
    Service service = client.services().inNamespace(NS).withName("pi").get();
    service.getSpec().setSelector(new TreeMap<>(service.getSpec().getSelector()));
    client.resource(service).update();
    ConfigMap config = client.configMaps().inNamespace(NS).withName("pi-config").get();
    config.setData(new TreeMap<>(config.getData()));
    client.resource(config).update();

    assertQuiet("pi");
  }

  @Test
  void atStartupCreatesTheLauncherWithTheWorkers() {
    cluster.create(TestJobs.basic("pi", 2));

    cluster.reconcile("pi");

    assertThat(cluster.launcher("pi")).isNotNull();
    assertThat(cluster.pods()).hasSize(2);
  }

  @Test
  void waitForWorkersReadyCreatesTheLauncherWhenTheLastWorkerIsReady() {
    MPIJob spec = TestJobs.basic("pi", 2);
    spec.getSpec().setLauncherCreationPolicy("WaitForWorkersReady");
    cluster.create(spec);

    cluster.reconcile("pi");
    assertThat(cluster.pods()).hasSize(2);
    assertThat(cluster.launcher("pi")).isNull();

    cluster.setRunning("pi-worker-0", true);
    cluster.setRunning("pi-worker-1", false); // running, but not Ready yet
    cluster.reconcile("pi");
    assertThat(cluster.launcher("pi")).isNull();
    assertQuiet("pi");

    cluster.setRunning("pi-worker-1", true);
    cluster.reconcile("pi");
    assertThat(cluster.launcher("pi")).isNotNull();
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void statusCountsFailedAndSucceededWorkers() {
    cluster.create(TestJobs.basic("pi", 3));
    cluster.reconcile("pi");
    cluster.setPhase("pi-worker-0", "Running");
    cluster.setPhase("pi-worker-1", "Succeeded");
    cluster.setPhase("pi-worker-2", "Failed");

    cluster.reconcile("pi");

    JobStatus status = cluster.job("pi").getStatus();
    assertThat(counts(status.getReplicaStatuses().get("Worker"))).isEqualTo("1/1/1");
  }
}
