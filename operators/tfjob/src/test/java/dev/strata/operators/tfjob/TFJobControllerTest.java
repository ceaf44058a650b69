package dev.strata.operators.tfjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.tfjob.TFJob;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Step-by-step reconciles of TFJobs against the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class TFJobControllerTest {
  KubernetesClient client;
  MockCluster cluster;

  private static final String JOB_NAME = "training.kubeflow.org/job-name";
  private static final String OPERATOR = "training.kubeflow.org/operator-name";
  private static final String TYPE = "training.kubeflow.org/replica-type";
  private static final String INDEX = "training.kubeflow.org/replica-index";
  private static final String ROLE = "training.kubeflow.org/job-role";

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  /** A TFJob "tf" with the given replicas ("Chief:1", "PS:2", "Worker:3:OnFailure"...). */
  static String job(String runPolicy, String extraSpec, String... replicas) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: kubeflow.org/v1
            kind: TFJob
            metadata: {name: tf}
            spec:
            """);
    if (!runPolicy.isEmpty()) {
      yaml.append("  runPolicy: {").append(runPolicy).append("}\n");
    }
    if (!extraSpec.isEmpty()) {
      yaml.append("  ").append(extraSpec).append('\n');
    }
    yaml.append("  tfReplicaSpecs:\n");
    for (String replica : replicas) {
      String[] parts = replica.split(":");
      yaml.append("    ").append(parts[0]).append(":\n");
      yaml.append("      replicas: ").append(parts[1]).append('\n');
      if (parts.length > 2) {
        yaml.append("      restartPolicy: ").append(parts[2]).append('\n');
      }
      yaml.append("      template: {spec: {containers: [{name: tensorflow, image: tf:2.16}]}}\n");
    }
    return yaml.toString();
  }

  static dev.strata.api.common.RunPolicy runPolicy(TFJob job) {
    if (job.getSpec().getRunPolicy() == null) {
      job.getSpec().setRunPolicy(new dev.strata.api.common.RunPolicy());
    }
    return job.getSpec().getRunPolicy();
  }

  // ---- objects -------------------------------------------------------------------------------

  @Test
  void chiefPsAndWorkersBecomePodsAndHeadlessServicesWithUpstreamNamesAndLabels() {
    cluster.create(job("", "", "Chief:1", "PS:1", "Worker:2"));

    cluster.reconcile("tf");

    List<String> names = List.of("tf-chief-0", "tf-ps-0", "tf-worker-0", "tf-worker-1");
    assertThat(cluster.podNames()).containsExactlyElementsOf(names);
    assertThat(cluster.serviceNames()).containsExactlyElementsOf(names);
    TFJob job = cluster.job("tf");
    for (String name : names) {
      Pod pod = cluster.pod(name);
      String type = name.split("-")[1];
      String index = name.split("-")[2];
      Map<String, String> labels = pod.getMetadata().getLabels();
      assertThat(labels)
          .containsEntry(JOB_NAME, "tf")
          .containsEntry(OPERATOR, "tfjob-controller")
          .containsEntry(TYPE, type)
          .containsEntry(INDEX, index);
      assertThat(labels.get(ROLE)).isEqualTo(type.equals("chief") ? "master" : null);
      assertThat(pod.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getController()).isTrue();
                assertThat(r.getKind()).isEqualTo("TFJob");
                assertThat(r.getUid()).isEqualTo(job.getMetadata().getUid());
              });
      assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
      Service service = cluster.service(name);
      assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
      assertThat(service.getSpec().getSelector())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(JOB_NAME, "tf", OPERATOR, "tfjob-controller", TYPE, type, INDEX, index));
      assertThat(service.getMetadata().getLabels()).isEqualTo(service.getSpec().getSelector());
      assertThat(service.getSpec().getPorts())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getName()).isEqualTo("tfjob-port");
                assertThat(p.getPort()).isEqualTo(2222);
              });
      assertThat(service.getMetadata().getOwnerReferences()).hasSize(1);
    }
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True");
    assertThat(cluster.job("tf").getStatus().getStartTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(cluster.eventReasons()).containsExactly("TFJobCreated");
    assertThat(cluster.job("tf").getStatus().getConditions().get(0).getMessage())
        .isEqualTo("TFJob team-a/tf is created.");
  }

  @Test
  void tfConfigHasUpstreamShapeWithServiceNameAddresses() {
    cluster.create(job("", "", "Chief:1", "PS:2", "Worker:2", "Evaluator:1"));

    cluster.reconcile("tf");

    String cluster0 =
        "{\"chief\":[\"tf-chief-0:2222\"],\"evaluator\":[\"tf-evaluator-0:2222\"],"
            + "\"ps\":[\"tf-ps-0:2222\",\"tf-ps-1:2222\"],"
            + "\"worker\":[\"tf-worker-0:2222\",\"tf-worker-1:2222\"]}";
    assertThat(MockCluster.env(cluster.pod("tf-worker-1"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"cluster\":"
                + cluster0
                + ",\"task\":{\"type\":\"worker\",\"index\":1},\"environment\":\"cloud\"}");
    assertThat(MockCluster.env(cluster.pod("tf-ps-1"), "tensorflow", "TF_CONFIG"))
        .contains("\"task\":{\"type\":\"ps\",\"index\":1}");
    assertThat(MockCluster.env(cluster.pod("tf-evaluator-0"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"cluster\":"
                + cluster0
                + ",\"task\":{\"type\":\"evaluator\",\"index\":0},\"environment\":\"cloud\"}");
  }

  @Test
  void aJobOfOneReplicaIsNotDistributedAndGetsNoTfConfig() {
    cluster.create(job("", "", "Worker:1"));

    cluster.reconcile("tf");

    assertThat(MockCluster.env(cluster.pod("tf-worker-0"), "tensorflow", "TF_CONFIG")).isNull();
    assertThat(cluster.pod("tf-worker-0").getMetadata().getLabels()).containsEntry(ROLE, "master");
  }

  @Test
  void tfConfigGoesToTheTensorflowContainerOnlyAndOnAUserPort() {
    cluster.create(
        """
        apiVersion: kubeflow.org/v1
        kind: TFJob
        metadata: {name: tf}
        spec:
          tfReplicaSpecs:
            Worker:
              replicas: 2
              template:
                metadata: {labels: {team: vision}, annotations: {note: x}}
                spec:
                  containers:
                  - {name: sidecar, image: envoy}
                  - name: tensorflow
                    image: tf
                    ports: [{name: tfjob-port, containerPort: 3333}, {name: metrics, containerPort: 9090}]
        """);

    cluster.reconcile("tf");

    Pod pod = cluster.pod("tf-worker-1");
    assertThat(MockCluster.env(pod, "sidecar", "TF_CONFIG")).isNull();
    assertThat(MockCluster.env(pod, "tensorflow", "TF_CONFIG"))
        .contains("[\"tf-worker-0:3333\",\"tf-worker-1:3333\"]");
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "vision");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "x");
    assertThat(cluster.service("tf-worker-1").getSpec().getPorts())
        .extracting(p -> p.getName() + "=" + p.getPort())
        .containsExactly("tfjob-port=3333", "metrics=9090");
    assertThat(cluster.service("tf-worker-1").getMetadata().getLabels()).doesNotContainKey("team");
  }

  @Test
  void withoutChiefWorkerZeroIsTheMaster() {
    cluster.create(job("", "", "PS:1", "Worker:2"));

    cluster.reconcile("tf");

    assertThat(cluster.pod("tf-worker-0").getMetadata().getLabels()).containsEntry(ROLE, "master");
    assertThat(cluster.pod("tf-worker-1").getMetadata().getLabels()).doesNotContainKey(ROLE);
    assertThat(cluster.pod("tf-ps-0").getMetadata().getLabels()).doesNotContainKey(ROLE);
  }

  @Test
  void masterTakesTheRoleLikeChief() {
    cluster.create(job("", "", "Master:1", "Worker:1"));

    cluster.reconcile("tf");

    assertThat(cluster.pod("tf-master-0").getMetadata().getLabels()).containsEntry(ROLE, "master");
    assertThat(cluster.pod("tf-worker-0").getMetadata().getLabels()).doesNotContainKey(ROLE);
  }

  @Test
  void gangMetadataCountsEveryPodOrMinAvailableAndPriorityClassReachesPods() {
    cluster.create(job("", "", "Chief:1", "PS:2", "Worker:3"));
    cluster.reconcile("tf");
    assertThat(cluster.pod("tf-ps-1").getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "6")
        .containsEntry("scheduling.k8s.io/group-name", "tf");
    assertThat(cluster.pod("tf-ps-1").getMetadata().getLabels())
        .containsEntry("strata.dev/gang-name", "tf");

    client.resources(TFJob.class).inNamespace(MockCluster.NAMESPACE).withName("tf").delete();
    client.pods().inNamespace(MockCluster.NAMESPACE).delete();
    client.services().inNamespace(MockCluster.NAMESPACE).delete();
    cluster.create(
        job(
            "schedulingPolicy: {minAvailable: 2, queue: research, priorityClass: high}",
            "",
            "Worker:3"));
    cluster.reconcile("tf");
    Pod pod = cluster.pod("tf-worker-2");
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "2")
        .containsEntry("strata.dev/gang-queue", "research");
    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("high");
  }

  @Test
  void exitCodePolicyRunsPodsWithRestartPolicyNever() {
    cluster.create(job("", "", "Worker:2:ExitCode", "PS:1:OnFailure", "Chief:1:Always"));

    cluster.reconcile("tf");

    assertThat(cluster.pod("tf-worker-0").getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(cluster.pod("tf-ps-0").getSpec().getRestartPolicy()).isEqualTo("OnFailure");
    assertThat(cluster.pod("tf-chief-0").getSpec().getRestartPolicy()).isEqualTo("Always");
  }

  @Test
  void aSecondReconcileWritesNothing() {
    cluster.create(job("", "", "PS:1", "Worker:2"));
    cluster.reconcile("tf");

    TFJobController.Outcome outcome = cluster.reconcile("tf");

    assertThat(outcome.status()).isNull();
    assertThat(cluster.pods()).hasSize(3);
    assertThat(cluster.eventReasons()).containsExactly("TFJobCreated");
  }

  @Test
  void aDeletedPodIsRecreatedWhileTheJobRuns() {
    cluster.create(job("", "", "PS:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");

    cluster.deletePod("tf-worker-1");
    cluster.reconcile("tf");

    assertThat(cluster.podNames()).contains("tf-worker-1");
    assertThat(cluster.state("tf")).isEqualTo("Running");
  }

  @Test
  void podsAndServicesBeyondTheReplicasAreRemovedOnScaleDown() {
    cluster.create(job("", "", "Worker:3"));
    cluster.reconcile("tf");

    cluster.edit("tf", j -> j.getSpec().getTfReplicaSpecs().get("Worker").setReplicas(2));
    cluster.reconcile("tf");

    assertThat(cluster.podNames()).containsExactly("tf-worker-0", "tf-worker-1");
    assertThat(cluster.serviceNames()).containsExactly("tf-worker-0", "tf-worker-1");
  }

  // ---- status life cycle ---------------------------------------------------------------------

  @Test
  void withAChiefTheChiefRunningAndSucceedingDecides() {
    cluster.create(job("", "", "Chief:1", "PS:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.run("tf-worker-0");
    cluster.reconcile("tf");
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True");

    cluster.run("tf-chief-0");
    cluster.reconcile("tf");
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True,Running=True");
    var status = cluster.job("tf").getStatus();
    assertThat(status.getReplicaStatuses().get("Chief").getActive()).isEqualTo(1);
    assertThat(status.getReplicaStatuses().get("Worker").getActive()).isEqualTo(1);
    assertThat(status.getReplicaStatuses().get("Worker").getSelector())
        .isEqualTo(
            "training.kubeflow.org/job-name=tf,training.kubeflow.org/operator-name=tfjob-controller,"
                + "training.kubeflow.org/replica-type=worker");

    cluster.run("tf-worker-1");
    cluster.succeed("tf-worker-0");
    cluster.succeed("tf-worker-1");
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");

    cluster.clock.advance(Duration.ofMinutes(5));
    cluster.succeed("tf-chief-0");
    cluster.reconcile("tf");
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True,Running=False,Succeeded=True");
    var done = cluster.job("tf").getStatus();
    assertThat(done.getCompletionTime()).isEqualTo("2026-11-28T10:05:00Z");
    assertThat(done.getConditions().get(2).getReason()).isEqualTo("TFJobSucceeded");
    assertThat(done.getConditions().get(2).getMessage())
        .isEqualTo("TFJob team-a/tf successfully completed.");
    assertThat(cluster.eventReasons())
        .containsExactly("TFJobCreated", "TFJobRunning", "TFJobSucceeded");
  }

  @ParameterizedTest(name = "successPolicy={0}: worker 0 done → {1}, all done → {2}")
  @CsvSource({"'', Succeeded, Succeeded", "AllWorkers, Running, Succeeded"})
  void withoutChiefTheSuccessPolicyDecides(String policy, String afterWorker0, String afterAll) {
    cluster.create(job("", "successPolicy: \"" + policy + "\"", "PS:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");

    cluster.succeed("tf-worker-0");
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo(afterWorker0);

    cluster.succeed("tf-worker-1");
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo(afterAll);
  }

  @Test
  void aWorkerOtherThanZeroSucceedingAloneDoesNotEndTheJob() {
    cluster.create(job("", "", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.succeed("tf-worker-1");
    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Running");
  }

  /**
   * The tensorflow container of worker 0 (of a single-worker job) exits with a code, and the
   * kubelet does what the pod's restartPolicy says; the controller must then reach the state given.
   */
  @ParameterizedTest(name = "{0} exit {1} → {2}")
  @CsvSource({
    "Never, 0, Succeeded",
    "Never, 1, Failed",
    "Never, 127, Failed",
    "Never, 128, Failed",
    "Never, 130, Failed",
    "Never, 137, Failed",
    "Never, 143, Failed",
    "ExitCode, 0, Succeeded",
    "ExitCode, 1, Failed",
    "ExitCode, 127, Failed",
    "ExitCode, 128, Restarting",
    "ExitCode, 130, Restarting",
    "ExitCode, 137, Restarting",
    "ExitCode, 143, Restarting",
    "OnFailure, 0, Succeeded",
    "OnFailure, 1, Running",
    "OnFailure, 127, Running",
    "OnFailure, 128, Running",
    "OnFailure, 130, Running",
    "OnFailure, 137, Running",
    "OnFailure, 143, Running",
    "Always, 0, Running",
    "Always, 1, Running",
    "Always, 127, Running",
    "Always, 128, Running",
    "Always, 130, Running",
    "Always, 137, Running",
    "Always, 143, Running",
  })
  void exitCodesUnderEachRestartPolicy(String policy, int code, String expected) {
    cluster.create(job("", "", "PS:1:" + policy, "Worker:1:" + policy));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");

    cluster.exit("tf-worker-0", code);
    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo(expected);
    var worker = cluster.pod("tf-worker-0");
    switch (expected) {
      case "Failed" -> {
        assertThat(worker).isNotNull(); // kept for its logs (cleanPodPolicy None)
        var failed = cluster.last("tf");
        assertThat(failed.getReason()).isEqualTo("TFJobFailed");
        assertThat(failed.getMessage())
            .isEqualTo("TFJob team-a/tf has failed because 1 Worker replica(s) failed.");
        assertThat(cluster.job("tf").getStatus().getCompletionTime()).isNotNull();
        assertThat(cluster.eventReasons()).endsWith("TFJobFailed");
      }
      case "Restarting" -> {
        assertThat(worker).isNull(); // deleted, to be recreated
        var restarting = cluster.last("tf");
        assertThat(restarting.getMessage())
            .isEqualTo("TFJob team-a/tf is restarting because 1 Worker replica(s) failed.");
        assertThat(cluster.service("tf-worker-0").getMetadata().getAnnotations())
            .containsEntry("strata.dev/restarts", "1");
        assertThat(cluster.eventReasons()).endsWith("TFJobRestarting");

        cluster.reconcile("tf");
        assertThat(cluster.pod("tf-worker-0")).isNotNull();
        assertThat(cluster.state("tf")).isEqualTo("Restarting");
        cluster.run("tf-worker-0");
        cluster.reconcile("tf");
        assertThat(cluster.state("tf")).isEqualTo("Running");
      }
      case "Running" -> {
        assertThat(worker.getStatus().getPhase()).isEqualTo("Running");
        assertThat(worker.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
      }
      default -> assertThat(cluster.job("tf").getStatus().getCompletionTime()).isNotNull();
    }
  }

  @Test
  void aFailedPodTheKubeletGaveUpOnIsRecreatedUnderOnFailure() {
    cluster.create(job("", "", "Worker:2:OnFailure"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    Pod evicted = cluster.pod("tf-worker-1");
    evicted.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Evicted")
            .build());
    client.resource(evicted).updateStatus();

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Restarting");
    assertThat(cluster.pod("tf-worker-1")).isNull();
    cluster.reconcile("tf");
    assertThat(cluster.pod("tf-worker-1")).isNotNull();
  }

  @Test
  void aFailedPsFailsTheJobWithItsType() {
    cluster.create(job("", "", "PS:2", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-ps-1", 1);

    cluster.reconcile("tf");

    assertThat(cluster.last("tf").getMessage())
        .isEqualTo("TFJob team-a/tf has failed because 1 PS replica(s) failed.");
    assertThat(cluster.job("tf").getStatus().getReplicaStatuses().get("PS").getFailed())
        .isEqualTo(1);
  }

  // ---- dynamic workers -----------------------------------------------------------------------

  @Test
  void dynamicWorkersGetUpstreamsSparseClusterSpecAndFailedWorkersAreTolerated() {
    cluster.create(job("", "enableDynamicWorker: true", "PS:2", "Worker:2", "Chief:1"));
    cluster.reconcile("tf");

    assertThat(MockCluster.env(cluster.pod("tf-worker-1"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"sparseCluster\":{\"worker\":{\"1\":\"tf-worker-1:2222\"},"
                + "\"ps\":[\"tf-ps-0:2222\",\"tf-ps-1:2222\"]},"
                + "\"task\":{\"type\":\"worker\",\"index\":1}}");
    assertThat(MockCluster.env(cluster.pod("tf-ps-1"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"sparseCluster\":{\"worker\":{},\"ps\":[\"tf-ps-1:2222\"]},"
                + "\"task\":{\"type\":\"ps\",\"index\":1}}");
    assertThat(MockCluster.env(cluster.pod("tf-chief-0"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"sparseCluster\":{\"worker\":{},\"ps\":[]},"
                + "\"task\":{\"type\":\"chief\",\"index\":0}}");

    cluster.runAll();
    cluster.exit("tf-worker-1", 1);
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");
    assertThat(cluster.job("tf").getStatus().getReplicaStatuses().get("Worker").getFailed())
        .isEqualTo(1);

    cluster.exit("tf-ps-0", 1);
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Failed");
  }

  @Test
  void dynamicWorkersWithoutPsWriteUpstreamsNullPsList() {
    cluster.create(job("", "enableDynamicWorker: true", "Worker:2"));
    cluster.reconcile("tf");

    assertThat(MockCluster.env(cluster.pod("tf-worker-0"), "tensorflow", "TF_CONFIG"))
        .isEqualTo(
            "{\"sparseCluster\":{\"worker\":{\"0\":\"tf-worker-0:2222\"},\"ps\":null},"
                + "\"task\":{\"type\":\"worker\",\"index\":0}}");
  }

  // ---- runPolicy -----------------------------------------------------------------------------

  @Test
  void suspendDeletesEverythingAndResumeRecreatesWithANewStartTime() {
    cluster.create(job("", "", "PS:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");

    cluster.edit("tf", j -> runPolicy(j).setSuspend(true));
    cluster.reconcile("tf");
    assertThat(cluster.pods()).isEmpty();
    assertThat(cluster.services()).isEmpty();
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True,Running=False,Suspended=True");
    assertThat(cluster.eventReasons()).endsWith("TFJobSuspended");
    assertThat(cluster.reconcile("tf").status()).isNull();

    cluster.clock.advance(Duration.ofHours(1));
    cluster.edit("tf", j -> runPolicy(j).setSuspend(false));
    cluster.reconcile("tf");
    assertThat(cluster.podNames()).containsExactly("tf-ps-0", "tf-worker-0", "tf-worker-1");
    assertThat(cluster.serviceNames()).hasSize(3);
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True,Running=False,Suspended=False");
    assertThat(cluster.job("tf").getStatus().getStartTime()).isEqualTo("2026-11-28T11:00:00Z");
    assertThat(cluster.eventReasons()).endsWith("TFJobResumed");
    cluster.runAll();
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");
  }

  @Test
  void aJobCreatedSuspendedCreatesNothingAndHasNoStartTime() {
    cluster.create(job("suspend: true", "", "Worker:2"));

    cluster.reconcile("tf");

    assertThat(cluster.pods()).isEmpty();
    assertThat(cluster.job("tf").getStatus().getStartTime()).isNull();
    assertThat(cluster.state("tf")).isEqualTo("Suspended");
  }

  @Test
  void ttlDeletesTheJobAfterCompletionWithoutPolling() {
    cluster.create(job("ttlSecondsAfterFinished: 60", "", "Worker:1"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.succeed("tf-worker-0");

    TFJobController.Outcome done = cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
    assertThat(done.requeueAfter()).isEqualTo(Duration.ofSeconds(60));

    cluster.clock.advance(Duration.ofSeconds(20));
    assertThat(cluster.reconcile("tf").requeueAfter()).isEqualTo(Duration.ofSeconds(40));

    cluster.clock.advance(Duration.ofSeconds(40));
    TFJobController.Outcome deleted = cluster.reconcile("tf");
    assertThat(deleted.deleted()).isTrue();
    assertThat(cluster.job("tf")).isNull();
  }

  @Test
  void activeDeadlineFailsTheJobAtTheDeadlineByRequeueNotPolling() {
    cluster.create(
        job("activeDeadlineSeconds: 100, cleanPodPolicy: Running", "", "PS:1", "Worker:1"));
    TFJobController.Outcome first = cluster.reconcile("tf");
    assertThat(first.requeueAfter()).isEqualTo(Duration.ofSeconds(100));
    cluster.runAll();
    cluster.clock.advance(Duration.ofSeconds(30));
    assertThat(cluster.reconcile("tf").requeueAfter()).isEqualTo(Duration.ofSeconds(70));

    cluster.clock.advance(Duration.ofSeconds(70));
    cluster.reconcile("tf");

    var failed = cluster.last("tf");
    assertThat(failed.getType() + "/" + failed.getReason()).isEqualTo("Failed/DeadlineExceeded");
    assertThat(failed.getMessage())
        .isEqualTo(
            "TFJob team-a/tf has failed because it was active longer than specified deadline");
    assertThat(cluster.pods()).isEmpty();
    assertThat(cluster.services()).isEmpty();
    assertThat(cluster.eventReasons()).endsWith("DeadlineExceeded");
  }

  @Test
  void backoffLimitCountsTheKubeletsInPlaceRestarts() {
    cluster.create(job("backoffLimit: 2", "", "Worker:2:OnFailure"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-1", 1);
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");

    cluster.exit("tf-worker-0", 137);
    cluster.reconcile("tf");

    var failed = cluster.last("tf");
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.getMessage())
        .isEqualTo("TFJob team-a/tf has failed because it has reached the specified backoff limit");
  }

  @Test
  void backoffLimitCountsTheControllersExitCodeRestarts() {
    cluster.create(job("backoffLimit: 1", "", "Worker:1:ExitCode"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-0", 137);
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Restarting");
    cluster.reconcile("tf");
    cluster.run("tf-worker-0");
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Running");

    cluster.exit("tf-worker-0", 143);
    cluster.reconcile("tf");

    assertThat(cluster.last("tf").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(cluster.pod("tf-worker-0")).isNotNull(); // not restarted
  }

  @Test
  void backoffLimitZeroFailsOnTheFirstRestart() {
    cluster.create(job("backoffLimit: 0", "", "Worker:1:ExitCode"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-0", 137);

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Failed");
  }

  @ParameterizedTest(name = "cleanPodPolicy {0}")
  @CsvSource({
    "All, '', ''",
    "Running, 'tf-worker-0,tf-worker-1', 'tf-worker-0,tf-worker-1'",
    "None, 'tf-ps-0,tf-worker-0,tf-worker-1', 'tf-ps-0,tf-worker-0,tf-worker-1'"
  })
  void cleanPodPolicyOnSuccess(String policy, String pods, String services) {
    cluster.create(job("cleanPodPolicy: " + policy, "", "PS:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.succeed("tf-worker-0");
    cluster.succeed("tf-worker-1");

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
    assertThat(String.join(",", cluster.podNames())).isEqualTo(pods);
    assertThat(String.join(",", cluster.serviceNames())).isEqualTo(services);
    cluster.reconcile("tf"); // idempotent once finished
    assertThat(String.join(",", cluster.podNames())).isEqualTo(pods);
  }

  @Test
  void aJobManagedByAnotherControllerIsLeftAlone() {
    cluster.create(job("managedBy: kueue.x-k8s.io/multikueue", "", "Worker:2"));

    TFJobController.Outcome outcome = cluster.reconcile("tf");

    assertThat(outcome.status()).isNull();
    assertThat(cluster.pods()).isEmpty();
    assertThat(cluster.events()).isEmpty();
  }

  @Test
  void aJobManagedByTheTrainingOperatorIsOurs() {
    cluster.create(job("managedBy: kubeflow.org/training-operator", "", "Worker:2"));

    cluster.reconcile("tf");

    assertThat(cluster.pods()).hasSize(2);
  }

  // ---- refusals ------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no tensorflow container|Worker: {replicas: 1, template: {spec: {containers: [{name: main,"
            + " image: tf}]}}}|must have at least one container with name tensorflow",
        "chief and master|Chief: {template: {spec: {containers: [{name: tensorflow, image: tf}]}}},"
            + " Master: {template: {spec: {containers: [{name: tensorflow, image: tf}]}}}"
            + "|must not have more than 1 Chief or Master role",
        "unknown type|Launcher: {template: {spec: {containers: [{name: tensorflow, image: tf}]}}}"
            + "|Unsupported value: \"Launcher\"",
        "bad restart policy|Worker: {restartPolicy: Sometimes, template: {spec: {containers:"
            + " [{name: tensorflow, image: tf}]}}}|Unsupported value: \"Sometimes\""
      })
  void anInvalidSpecFailsWithOneWarningAndCreatesNothing(
      String what, String replicas, String problem) {
    cluster.create(
        "apiVersion: kubeflow.org/v1\nkind: TFJob\nmetadata: {name: tf}\nspec:\n"
            + "  tfReplicaSpecs: {"
            + replicas
            + "}\n");

    cluster.reconcile("tf");
    cluster.reconcile("tf");

    var condition = cluster.last("tf");
    assertThat(condition.getType() + "/" + condition.getReason())
        .isEqualTo("Failed/ValidationError");
    assertThat(condition.getMessage()).startsWith("Found validation errors: [").contains(problem);
    assertThat(cluster.eventReasons()).containsExactly("ValidationError");
    assertThat(cluster.events().get(0).getType()).isEqualTo("Warning");
    assertThat(cluster.pods()).isEmpty();
    assertThat(cluster.services()).isEmpty();
  }

  @Test
  void aServiceNameTakenBySomeoneElseIsReportedAndRetried() {
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("tf-worker-1")
                .withNamespace(MockCluster.NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .endSpec()
                .build())
        .create();
    cluster.create(job("", "", "Worker:2"));

    TFJobController.Outcome outcome = cluster.reconcile("tf");

    assertThat(outcome.requeueAfter()).isEqualTo(TFJobController.FOREIGN_OBJECT_RETRY);
    assertThat(cluster.eventReasons()).contains("ErrResourceExists");
    assertThat(cluster.events().stream().filter(e -> "ErrResourceExists".equals(e.getReason())))
        .allSatisfy(e -> assertThat(e.getMessage()).contains("\"tf-worker-1\""));
  }

  @Test
  void aPodWithOurLabelsOwnedByAnotherJobIsNotAdopted() {
    cluster.create(job("", "", "Worker:1"));
    cluster.reconcile("tf");
    Pod pod = cluster.pod("tf-worker-0");
    pod.getMetadata().getOwnerReferences().get(0).setUid("someone-else");
    client.resource(pod).update();

    TFJobController.Outcome outcome = cluster.reconcile("tf");

    assertThat(outcome.requeueAfter()).isEqualTo(TFJobController.FOREIGN_OBJECT_RETRY);
    assertThat(cluster.eventReasons()).endsWith("ErrResourceExists");
    assertThat(cluster.pod("tf-worker-0").getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo("someone-else");
  }

  // ---- PS co-location ------------------------------------------------------------------------

  static String colocated(int ps, int workers, String policy) {
    return """
        apiVersion: kubeflow.org/v1
        kind: TFJob
        metadata:
          name: tf
          annotations: {strata.dev/colocate-ps: "true"}
        spec:
          tfReplicaSpecs:
            PS:
              replicas: %d
              template:
                spec:
                  containers:
                  - name: tensorflow
                    image: tf-ps
                    resources: {requests: {cpu: "2"}}
                    volumeMounts: [{name: ps-cache, mountPath: /cache}]
                  volumes: [{name: ps-cache, emptyDir: {}}]
            Worker:
              replicas: %d
              restartPolicy: %s
              template: {spec: {containers: [{name: tensorflow, image: tf-worker}]}}
        """
        .formatted(ps, workers, policy);
  }

  @Test
  void colocatedPsRunsOnePsTaskInEachWorkerPod() {
    cluster.create(colocated(2, 3, "Never"));

    cluster.reconcile("tf");

    assertThat(cluster.podNames()).containsExactly("tf-worker-0", "tf-worker-1", "tf-worker-2");
    assertThat(cluster.serviceNames()).containsExactly("tf-worker-0", "tf-worker-1", "tf-worker-2");
    Pod pod = cluster.pod("tf-worker-2");
    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("tensorflow", "tensorflow-ps");
    Container ps = pod.getSpec().getContainers().get(1);
    assertThat(ps.getImage()).isEqualTo("tf-ps");
    assertThat(ps.getResources().getRequests()).containsKey("cpu");
    assertThat(ps.getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("tfjob-ps-port=2223");
    assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).contains("ps-cache");
    String psList = "[\"tf-worker-0:2223\",\"tf-worker-1:2223\",\"tf-worker-2:2223\"]";
    assertThat(MockCluster.env(pod, "tensorflow-ps", "TF_CONFIG"))
        .isEqualTo(
            "{\"cluster\":{\"ps\":"
                + psList
                + ",\"worker\":[\"tf-worker-0:2222\",\"tf-worker-1:2222\",\"tf-worker-2:2222\"]},"
                + "\"task\":{\"type\":\"ps\",\"index\":2},\"environment\":\"cloud\"}");
    assertThat(MockCluster.env(pod, "tensorflow", "TF_CONFIG"))
        .contains("\"ps\":" + psList)
        .contains("\"task\":{\"type\":\"worker\",\"index\":2}");
    assertThat(cluster.service("tf-worker-2").getSpec().getPorts())
        .extracting(p -> p.getName() + "=" + p.getPort())
        .containsExactly("tfjob-port=2222", "tfjob-ps-port=2223");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("strata.dev/gang-min-member", "3");
  }

  @Test
  void colocatedWorkersSucceedWhenTheirTensorflowContainerDoesThoughThePsKeepsRunning() {
    cluster.create(colocated(1, 2, "Never"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    assertThat(cluster.job("tf").getStatus().getReplicaStatuses().get("PS").getActive())
        .isEqualTo(2);

    cluster.exit("tf-worker-0", 0);
    assertThat(cluster.pod("tf-worker-0").getStatus().getPhase()).isEqualTo("Running");
    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
  }

  @Test
  void colocatedWorkersRestartUnderExitCodeFromTheirTensorflowContainer() {
    cluster.create(colocated(1, 2, "ExitCode"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-1", 137);

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Restarting");
    assertThat(cluster.pod("tf-worker-1")).isNull();
  }

  @Test
  void theColocationAnnotationWithoutPsChangesNothing() {
    cluster.create(
        job("", "", "Worker:2")
            .replace(
                "metadata: {name: tf}",
                "metadata: {name: tf, annotations: {strata.dev/colocate-ps: \"true\"}}"));

    cluster.reconcile("tf");

    assertThat(cluster.pod("tf-worker-0").getSpec().getContainers()).hasSize(1);
  }
}
