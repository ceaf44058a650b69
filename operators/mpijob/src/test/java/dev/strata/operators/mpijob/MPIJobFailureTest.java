package dev.strata.operators.mpijob;

import static dev.strata.operators.mpijob.MPIJobLifecycleTest.conditions;
import static dev.strata.operators.mpijob.MPIJobLifecycleTest.last;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.strata.api.mpijob.MPIJob;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lost and evicted workers, invalid specs, name clashes, scaling, and odd but valid specs. */
@EnableKubernetesMockClient(crud = true)
class MPIJobFailureTest {
  static final String NS = MockCluster.NAMESPACE;

  KubernetesClient client;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  List<String> podNames() {
    return cluster.pods().stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  void running(String... workers) {
    for (String worker : workers) {
      cluster.setPhase(worker, "Running");
    }
  }

  @Test
  void aWorkerDeletedWhileRunningIsRecreated() {
    cluster.create(TestJobs.basic("pi", 2));
    cluster.reconcile("pi");
    running("pi-worker-0", "pi-worker-1");
    cluster.startLauncherPod("pi");
    cluster.reconcile("pi");
    String uid = cluster.pod("pi-worker-1").getMetadata().getUid();

    cluster.deletePod("pi-worker-1");
    cluster.reconcile("pi");

    assertThat(cluster.pod("pi-worker-1")).isNotNull();
    assertThat(cluster.pod("pi-worker-1").getMetadata().getUid()).isNotEqualTo(uid);
    assertThat(last(cluster.job("pi"))).isEqualTo("Running=True");
  }

  @Test
  void anEvictedWorkerFailsTheJobWhenWorkersNeverRestart() {
    cluster.create(TestJobs.basic("pi", 2));
    cluster.reconcile("pi");
    running("pi-worker-0", "pi-worker-1");
    cluster.startLauncherPod("pi");
    cluster.reconcile("pi");

    cluster.clock.advance(Duration.ofMinutes(2));
    cluster.evict("pi-worker-1");
    cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(conditions(job))
        .containsExactly(
            "Created=True/MPIJobCreated",
            "Running=False/MPIJobRunning",
            "Failed=True/MPIJobEvicted");
    assertThat(job.getStatus().getConditions().get(2).getMessage())
        .isEqualTo("1/2 workers are evicted");
    assertThat(job.getStatus().getCompletionTime()).isEqualTo("2026-11-28T10:02:00Z");
    assertThat(cluster.pod("pi-worker-1")).isNotNull(); // not recreated
    assertThat(cluster.events())
        .filteredOn(e -> "MPIJobEvicted".equals(e.getReason()))
        .singleElement()
        .extracting(Event::getType, Event::getMessage)
        .containsExactly("Warning", "1/2 workers are evicted");
    cluster.reconcile("pi");
    assertThat(cluster.events()).filteredOn(e -> "MPIJobEvicted".equals(e.getReason())).hasSize(1);
  }

  /**
   * A preempted worker (Failed with a DisruptionTarget condition, as the virtual node reports one
   * whose compute pod was preempted) counts as evicted: before the launcher exists (it waits for
   * every worker to be Ready) the job would otherwise wait for a worker that never comes back.
   */
  @Test
  void aPreemptedWorkerCountsAsEvicted() {
    MPIJob failing = TestJobs.basic("pi", 2);
    failing.getSpec().setLauncherCreationPolicy("WaitForWorkersReady");
    cluster.create(failing);
    cluster.reconcile("pi");
    cluster.preempt("pi-worker-1");
    cluster.reconcile("pi");
    assertThat(last(cluster.job("pi"))).isEqualTo("Failed=True");
    assertThat(conditions(cluster.job("pi"))).contains("Failed=True/MPIJobEvicted");

    MPIJob restarting = TestJobs.basic("again", 2);
    restarting.getSpec().setLauncherCreationPolicy("WaitForWorkersReady");
    TestJobs.worker(restarting).setRestartPolicy("OnFailure");
    cluster.create(restarting);
    cluster.reconcile("again");
    cluster.preempt("again-worker-0");
    cluster.reconcile("again");
    assertThat(cluster.pod("again-worker-0")).isNull();
    assertThat(last(cluster.job("again"))).isEqualTo("Restarting=True");
    cluster.reconcile("again");
    assertThat(cluster.pod("again-worker-0")).isNotNull();
  }

  @Test
  void anEvictedWorkerIsRecreatedWhenWorkersRestartOnFailure() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.worker(spec).setRestartPolicy("OnFailure");
    cluster.create(spec);
    cluster.reconcile("pi");
    running("pi-worker-0", "pi-worker-1");
    cluster.startLauncherPod("pi");
    cluster.reconcile("pi");

    cluster.evict("pi-worker-0");
    cluster.reconcile("pi");

    assertThat(cluster.pod("pi-worker-0")).isNull();
    MPIJob job = cluster.job("pi");
    assertThat(conditions(job))
        .containsExactly("Created=True/MPIJobCreated", "Restarting=True/MPIJobRestarting");
    assertThat(job.getStatus().getConditions().get(1).getMessage())
        .isEqualTo("1/2 workers are evicted; recreating them");

    cluster.reconcile("pi");
    assertThat(cluster.pod("pi-worker-0")).isNotNull();
    assertThat(cluster.pod("pi-worker-0").getStatus())
        .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.getPhase()).isNull());
    assertThat(last(cluster.job("pi"))).isEqualTo("Restarting=True");

    running("pi-worker-0");
    cluster.reconcile("pi");
    assertThat(conditions(cluster.job("pi")))
        .containsExactly("Created=True/MPIJobCreated", "Running=True/MPIJobRunning");
    // Running again with the same message is counted on the first Running Event, as client-go's
    // recorder aggregates repeats.
    assertThat(cluster.events())
        .extracting(Event::getType, Event::getReason, Event::getCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Normal", "MPIJobCreated", 1),
            org.assertj.core.groups.Tuple.tuple("Normal", "MPIJobRunning", 2),
            org.assertj.core.groups.Tuple.tuple("Warning", "MPIJobRestarting", 1));
  }

  @Test
  void anInvalidSpecFailsWithTheValidatorsMessageAndCreatesNothing() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.launcher(spec).setReplicas(2);
    cluster.create(spec);

    assertThatCode(() -> cluster.reconcile("pi")).doesNotThrowAnyException();
    cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(conditions(job)).containsExactly("Failed=True/ValidationError");
    String message = job.getStatus().getConditions().get(0).getMessage();
    assertThat(message)
        .startsWith("Found validation errors: ")
        .contains("spec.mpiReplicaSpecs[Launcher].replicas")
        .contains("must be 1");
    assertThat(cluster.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("ValidationError");
              assertThat(e.getMessage()).isEqualTo(message);
            });
    assertThat(cluster.snapshot().keySet())
        .containsExactlyInAnyOrder(
            "MPIJob/pi", "Event/" + cluster.events().get(0).getMetadata().getName());
  }

  static HasMetadata foreign(String kind) {
    Map<String, String> labels = Map.of("app", "someone-else");
    return switch (kind) {
      case "Service" ->
          new ServiceBuilder()
              .withNewMetadata()
              .withName("pi")
              .withNamespace(NS)
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withSelector(labels)
              .endSpec()
              .build();
      case "ConfigMap" ->
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("pi-config")
              .withNamespace(NS)
              .withLabels(labels)
              .endMetadata()
              .addToData("hostfile", "not-ours\n")
              .build();
      default ->
          new PodBuilder()
              .withNewMetadata()
              .withName("pi-worker-1")
              .withNamespace(NS)
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .addNewContainer()
              .withName("other")
              .withImage("other:1")
              .endContainer()
              .endSpec()
              .build();
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"Service", "ConfigMap", "Pod"})
  void anObjectOfTheSameNameOwnedBySomeoneElseIsNotTakenOver(String kind) {
    HasMetadata theirs = client.resource(foreign(kind)).create();
    cluster.create(TestJobs.basic("pi", 2));

    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    assertThat(outcome.requeueAfter()).isEqualTo(MPIJobController.FOREIGN_OBJECT_RETRY);
    assertThat(cluster.events())
        .filteredOn(e -> "ErrResourceExists".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains(theirs.getMetadata().getName())
                  .contains(kind)
                  .contains("not managed by this job");
            });
    HasMetadata now = client.resource(theirs).get();
    assertThat(now.getMetadata().getResourceVersion())
        .isEqualTo(theirs.getMetadata().getResourceVersion());
    assertThat(now.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(cluster.launcher("pi")).isNull();
    assertThat(cluster.job("pi").getStatus()).isNull();
  }

  @Test
  void scalingWorkersDownDeletesTheExtraPods() {
    cluster.create(TestJobs.basic("pi", 3));
    cluster.reconcile("pi");
    running("pi-worker-0", "pi-worker-1", "pi-worker-2");

    cluster.edit("pi", j -> TestJobs.worker(j).setReplicas(1));
    cluster.reconcile("pi");

    assertThat(podNames()).containsExactly("pi-worker-0");
    assertThat(client.configMaps().inNamespace(NS).withName("pi-config").get().getData())
        .containsEntry("hostfile", "pi-worker-0.pi slots=1\n");
    assertThat(
            client
                .rbac()
                .roles()
                .inNamespace(NS)
                .withName("pi-launcher")
                .get()
                .getRules()
                .get(0)
                .getResourceNames())
        .containsExactly("pi-worker-0");
  }

  @Test
  void aJobWithoutWorkersRunsItsLauncherAlone() {
    MPIJob spec = TestJobs.basic("solo", 1);
    spec.getSpec().getMpiReplicaSpecs().remove("Worker");
    cluster.create(spec);

    cluster.reconcile("solo");
    Map<String, String> before = cluster.snapshot();
    assertThat(cluster.reconcile("solo").status()).isNull();
    assertThat(cluster.snapshot()).isEqualTo(before);

    assertThat(podNames()).isEmpty();
    assertThat(cluster.launcher("solo")).isNotNull();
    assertThat(client.configMaps().inNamespace(NS).withName("solo-config").get().getData())
        .containsEntry("hostfile", "")
        .containsEntry("discover_hosts.sh", "#!/bin/sh\n");
    // RBAC reads an empty resourceNames as "every pod": a job without workers gets no rule.
    assertThat(client.rbac().roles().inNamespace(NS).withName("solo-launcher").get().getRules())
        .allSatisfy(r -> assertThat(r.getResourceNames()).isNotEmpty());
    assertThat(cluster.job("solo").getStatus().getReplicaStatuses()).containsOnlyKeys("Launcher");

    cluster.startLauncherPod("solo");
    cluster.reconcile("solo");
    assertThat(last(cluster.job("solo"))).isEqualTo("Running=True");
    cluster.finishLauncher("solo", "Complete", "", "");
    cluster.reconcile("solo");
    assertThat(last(cluster.job("solo"))).isEqualTo("Succeeded=True");
  }

  @Test
  void oddButValidSpecsNeverThrow() {
    String yaml =
        """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        metadata:
          name: odd
        spec:
          slotsPerWorker: 0
          runPolicy: {}
          mpiReplicaSpecs:
            Launcher:
              template:
                metadata: {}
                spec:
                  hostNetwork: true
                  dnsConfig: {}
                  volumes: []
                  containers:
                  - name: l
                    env: []
                    volumeMounts: []
                    command: []
                    args: []
            Worker:
              replicas: 2
              template:
                metadata:
                  labels: {}
                  annotations: {}
                spec:
                  initContainers:
                  - name: init
                  containers:
                  - name: w
                  - name: sidecar
        """;
    cluster.create(yaml);

    assertThatCode(
            () -> {
              cluster.reconcile("odd");
              cluster.setPhase("odd-worker-0", "Running");
              cluster.reconcile("odd");
              cluster.reconcile("odd");
            })
        .doesNotThrowAnyException();

    assertThat(podNames()).containsExactly("odd-worker-0", "odd-worker-1");
    var launcher = cluster.launcher("odd").getSpec().getTemplate().getSpec();
    assertThat(launcher.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(client.configMaps().inNamespace(NS).withName("odd-config").get().getData())
        .containsEntry("hostfile", "odd-worker-0.odd slots=0\nodd-worker-1.odd slots=0\n");
    assertThat(cluster.pod("odd-worker-0").getSpec().getContainers().get(1).getEnv())
        .isNullOrEmpty();
  }

  @Test
  void aSpecWithNoReplicaSpecsFailsValidationWithoutThrowing() {
    cluster.create(
        """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        metadata:
          name: empty
        spec: {}
        """);

    assertThatCode(() -> cluster.reconcile("empty")).doesNotThrowAnyException();

    assertThat(conditions(cluster.job("empty"))).containsExactly("Failed=True/ValidationError");
    assertThat(podNames()).isEmpty();
  }
}
