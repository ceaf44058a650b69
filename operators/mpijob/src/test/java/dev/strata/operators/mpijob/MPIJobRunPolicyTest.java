package dev.strata.operators.mpijob;

import static dev.strata.operators.mpijob.MPIJobLifecycleTest.conditions;
import static dev.strata.operators.mpijob.MPIJobLifecycleTest.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.mpijob.MPIJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cleanPodPolicy, ttlSecondsAfterFinished, activeDeadlineSeconds, backoffLimit, suspend, managedBy.
 */
@EnableKubernetesMockClient(crud = true)
class MPIJobRunPolicyTest {
  static final String NS = MockCluster.NAMESPACE;

  KubernetesClient client;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  List<String> workerNames() {
    return cluster.pods().stream()
        .filter(p -> "worker".equals(p.getMetadata().getLabels().get(MPIJobObjectsTest.JOB_ROLE)))
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** A job with two workers, worker-0 Running and worker-1 already Succeeded, launcher running. */
  void runToTheEnd(MPIJob spec) {
    cluster.create(spec);
    cluster.reconcile("pi");
    cluster.setPhase("pi-worker-0", "Running");
    cluster.setPhase("pi-worker-1", "Running");
    cluster.startLauncherPod("pi");
    cluster.reconcile("pi");
    assertThat(last(cluster.job("pi"))).isEqualTo("Running=True");
    cluster.setPhase("pi-worker-1", "Succeeded");
  }

  @ParameterizedTest
  @CsvSource({
    "None, Complete, 'pi-worker-0,pi-worker-1'",
    "Running, Complete, 'pi-worker-1'",
    "All, Complete, ''",
    "None, Failed, 'pi-worker-0,pi-worker-1'",
    "Running, Failed, 'pi-worker-1'",
    "All, Failed, ''"
  })
  void cleanPodPolicyDecidesWhichWorkersRemain(String policy, String outcome, String remain) {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setCleanPodPolicy(policy);
    runToTheEnd(spec);

    cluster.finishLauncher(
        "pi", outcome, "Complete".equals(outcome) ? "" : "BackoffLimitExceeded", "");
    // The reconcile that finishes the job cleans up: no later event is certain to come.
    cluster.reconcile("pi");

    assertThat(last(cluster.job("pi")))
        .isEqualTo(("Complete".equals(outcome) ? "Succeeded" : "Failed") + "=True");
    assertThat(workerNames())
        .containsExactlyElementsOf(remain.isEmpty() ? List.of() : List.of(remain.split(",")));
    // Upstream zeroes the active workers when it cleans up; None leaves the count as it was.
    assertThat(cluster.job("pi").getStatus().getReplicaStatuses().get("Worker").getActive())
        .isEqualTo("None".equals(policy) ? 1 : 0);
    Map<String, String> before = cluster.snapshot();
    assertThat(cluster.reconcile("pi").status()).isNull();
    assertThat(cluster.snapshot()).isEqualTo(before);
    assertThat(workerNames())
        .containsExactlyElementsOf(remain.isEmpty() ? List.of() : List.of(remain.split(",")));
    assertThat(cluster.launcher("pi")).isNotNull();
  }

  @Test
  void ttlDeletesTheJobOnceItHasExpired() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setTtlSecondsAfterFinished(60);
    runToTheEnd(spec);
    cluster.clock.advance(Duration.ofMinutes(3));
    cluster.finishLauncher("pi", "Complete", "", "");

    MPIJobController.Outcome finishing = cluster.reconcile("pi");
    assertThat(finishing.requeueAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(finishing.deleted()).isFalse();

    cluster.clock.advance(Duration.ofSeconds(59));
    MPIJobController.Outcome before = cluster.reconcile("pi");
    assertThat(before.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(before.deleted()).isFalse();
    assertThat(cluster.job("pi")).isNotNull();

    cluster.clock.advance(Duration.ofSeconds(1));
    MPIJobController.Outcome after = cluster.reconcile("pi");
    assertThat(after.deleted()).isTrue();
    assertThat(cluster.job("pi")).isNull();
  }

  @Test
  void withoutTtlAFinishedJobStays() {
    runToTheEnd(TestJobs.basic("pi", 2));
    cluster.finishLauncher("pi", "Complete", "", "");
    cluster.reconcile("pi");
    cluster.clock.advance(Duration.ofDays(30));

    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    assertThat(outcome.requeueAfter()).isNull();
    assertThat(outcome.deleted()).isFalse();
    assertThat(cluster.job("pi")).isNotNull();
  }

  @Test
  void activeDeadlineFailsTheJobWhenItPasses() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setActiveDeadlineSeconds(100L);
    cluster.create(spec);

    assertThat(cluster.reconcile("pi").requeueAfter()).isEqualTo(Duration.ofSeconds(100));
    cluster.clock.advance(Duration.ofSeconds(60));
    assertThat(cluster.reconcile("pi").requeueAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(last(cluster.job("pi"))).isEqualTo("Created=True");

    cluster.clock.advance(Duration.ofSeconds(40));
    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(conditions(job)).last().isEqualTo("Failed=True/DeadlineExceeded");
    assertThat(
            job.getStatus()
                .getConditions()
                .get(job.getStatus().getConditions().size() - 1)
                .getMessage())
        .isEqualTo("MPIJob team-a/pi has run longer than its activeDeadlineSeconds (100s)");
    assertThat(job.getStatus().getCompletionTime()).isEqualTo("2026-11-28T10:01:40Z");
    assertThat(outcome.requeueAfter()).isNull();
    assertThat(cluster.events())
        .filteredOn(e -> "DeadlineExceeded".equals(e.getReason()))
        .singleElement()
        .extracting(Event::getType)
        .isEqualTo("Warning");
  }

  @Test
  void aDeadlineFailureStopsTheStillRunningLauncher() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setActiveDeadlineSeconds(100L);
    runToTheEnd(spec);
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isNull();

    cluster.clock.advance(Duration.ofSeconds(100));
    cluster.reconcile("pi");

    assertThat(last(cluster.job("pi"))).isEqualTo("Failed=True");
    assertThat(cluster.launcher("pi").getSpec().getSuspend())
        .as("the Job controller removes a suspended Job's pods")
        .isTrue();
  }

  @Test
  void aLauncherThatFinishedItselfIsLeftAsItIs() {
    runToTheEnd(TestJobs.basic("pi", 2));
    cluster.finishLauncher("pi", "Complete", "", "");

    cluster.reconcile("pi");

    assertThat(last(cluster.job("pi"))).isEqualTo("Succeeded=True");
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isNull();
  }

  @Test
  void ttlExpiryIsRecordedAsAnEvent() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setTtlSecondsAfterFinished(0);
    runToTheEnd(spec);
    cluster.finishLauncher("pi", "Complete", "", "");

    assertThat(cluster.reconcile("pi").deleted()).isTrue();

    assertThat(cluster.job("pi")).isNull();
    assertThat(cluster.eventReasons()).contains("TTLExpired");
  }

  @Test
  void timeSpentSuspendedDoesNotCountAgainstTheDeadline() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setActiveDeadlineSeconds(100L);
    cluster.create(spec);
    cluster.reconcile("pi");
    cluster.clock.advance(Duration.ofSeconds(60));
    cluster.edit("pi", j -> j.getSpec().getRunPolicy().setSuspend(true));

    MPIJobController.Outcome suspended = cluster.reconcile("pi");
    assertThat(suspended.requeueAfter()).as("no deadline runs while suspended").isNull();

    cluster.clock.advance(Duration.ofHours(2));
    cluster.edit("pi", j -> j.getSpec().getRunPolicy().setSuspend(false));
    MPIJobController.Outcome resumed = cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(conditions(job)).doesNotContain("Failed=True/DeadlineExceeded");
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T12:01:00Z");
    assertThat(resumed.requeueAfter()).isEqualTo(Duration.ofSeconds(100));
  }

  @Test
  void aJobRefusedByValidationIsFinishedSoItsTtlApplies() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.launcher(spec).setReplicas(2);
    TestJobs.runPolicy(spec).setTtlSecondsAfterFinished(30);
    cluster.create(spec);

    MPIJobController.Outcome refused = cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(last(job)).isEqualTo("Failed=True");
    assertThat(job.getStatus().getCompletionTime()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(refused.requeueAfter()).isEqualTo(Duration.ofSeconds(30));
    cluster.clock.advance(Duration.ofSeconds(30));
    assertThat(cluster.reconcile("pi").deleted()).isTrue();
  }

  @Test
  void aSucceededJobStaysSucceededWhateverItsSpecBecomes() {
    runToTheEnd(TestJobs.basic("pi", 2));
    cluster.finishLauncher("pi", "Complete", "", "");
    cluster.reconcile("pi");
    cluster.edit("pi", j -> j.getSpec().getMpiReplicaSpecs().get("Launcher").setReplicas(3));

    cluster.reconcile("pi");

    assertThat(conditions(cluster.job("pi"))).noneMatch(c -> c.startsWith("Failed"));
    assertThat(last(cluster.job("pi"))).isEqualTo("Succeeded=True");
  }

  @Test
  void theReconcileThatEndsTheJobRecreatesNoWorker() {
    runToTheEnd(TestJobs.basic("pi", 2));
    cluster.deletePod("pi-worker-1");
    cluster.finishLauncher("pi", "Complete", "", "");

    cluster.reconcile("pi");

    assertThat(last(cluster.job("pi"))).isEqualTo("Succeeded=True");
    assertThat(workerNames()).containsExactly("pi-worker-0");
  }

  @Test
  void backoffLimitFailureNamesTheLastFailedLauncherPod() {
    MPIJob spec = TestJobs.basic("pi", 1);
    TestJobs.runPolicy(spec).setBackoffLimit(1);
    cluster.create(spec);
    cluster.reconcile("pi");
    cluster.failedLauncherPod(
        "pi", "pi-launcher-bbbbb", "2026-11-28T10:02:00Z", "OOMKilled", "launcher ran out");
    cluster.failedLauncherPod(
        "pi", "pi-launcher-aaaaa", "2026-11-28T10:01:00Z", "Error", "exit code 1");
    cluster.finishLauncher(
        "pi", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

    cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    var failed = job.getStatus().getConditions().get(job.getStatus().getConditions().size() - 1);
    assertThat(failed.getType() + "=" + failed.getStatus()).isEqualTo("Failed=True");
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded/OOMKilled");
    assertThat(failed.getMessage())
        .isEqualTo("Job has reached the specified backoff limit: launcher ran out");
    assertThat(job.getStatus().getCompletionTime()).isNotNull();
    assertThat(job.getStatus().getReplicaStatuses().get("Launcher").getFailed()).isEqualTo(1);
    assertThat(cluster.events())
        .filteredOn(e -> "Warning".equals(e.getType()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("launcher ran out"));
  }

  @Test
  void aLauncherFailureWithoutReasonIsMPIJobFailed() {
    cluster.create(TestJobs.basic("pi", 1));
    cluster.reconcile("pi");
    cluster.finishLauncher("pi", "Failed", "", "");

    cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(conditions(job)).last().isEqualTo("Failed=True/MPIJobFailed");
    assertThat(
            job.getStatus()
                .getConditions()
                .get(job.getStatus().getConditions().size() - 1)
                .getMessage())
        .isEqualTo("MPIJob team-a/pi has failed");
  }

  @Test
  void suspendedFromCreationCreatesNoWorkersAndNoStartTimeThenResumes() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setSuspend(true);
    TestJobs.runPolicy(spec).setActiveDeadlineSeconds(100L);
    cluster.create(spec);

    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(workerNames()).isEmpty();
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isTrue();
    assertThat(client.services().inNamespace(NS).withName("pi").get()).isNotNull();
    assertThat(job.getStatus().getStartTime()).isNull();
    assertThat(conditions(job))
        .containsExactly(
            "Created=True/MPIJobCreated",
            "Running=False/MPIJobSuspended",
            "Suspended=True/MPIJobSuspended");
    assertThat(job.getStatus().getConditions().get(1).getMessage())
        .isEqualTo("MPIJob team-a/pi is suspended.");
    assertThat(outcome.requeueAfter()).isNull();
    cluster.clock.advance(Duration.ofHours(1));
    Map<String, String> before = cluster.snapshot();
    assertThat(cluster.reconcile("pi").status()).isNull();
    assertThat(cluster.snapshot()).isEqualTo(before);

    cluster.edit("pi", j -> j.getSpec().getRunPolicy().setSuspend(false));
    outcome = cluster.reconcile("pi");

    job = cluster.job("pi");
    assertThat(workerNames()).containsExactly("pi-worker-0", "pi-worker-1");
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isFalse();
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T11:00:00Z");
    assertThat(conditions(job)).last().isEqualTo("Suspended=False/MPIJobResumed");
    assertThat(outcome.requeueAfter()).isEqualTo(Duration.ofSeconds(100));
    assertThat(cluster.eventReasons())
        .containsExactly("MPIJobCreated", "MPIJobSuspended", "MPIJobResumed");
  }

  @Test
  void suspendingARunningJobRemovesWorkersAndWaitsForReadyWorkersToResume() {
    MPIJob spec = TestJobs.basic("pi", 2);
    spec.getSpec().setLauncherCreationPolicy("WaitForWorkersReady");
    cluster.create(spec);
    cluster.reconcile("pi");
    cluster.setPhase("pi-worker-0", "Running");
    cluster.setPhase("pi-worker-1", "Running");
    cluster.reconcile("pi");
    Pod launcherPod = cluster.startLauncherPod("pi");
    cluster.reconcile("pi");
    assertThat(last(cluster.job("pi"))).isEqualTo("Running=True");

    cluster.clock.advance(Duration.ofMinutes(1));
    cluster.edit("pi", j -> TestJobs.runPolicy(j).setSuspend(true));
    cluster.reconcile("pi");

    MPIJob job = cluster.job("pi");
    assertThat(workerNames()).isEmpty();
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isTrue();
    assertThat(conditions(job))
        .containsExactly(
            "Created=True/MPIJobCreated",
            "Running=False/MPIJobSuspended",
            "Suspended=True/MPIJobSuspended");
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T10:00:00Z");
    cluster.deletePod(launcherPod.getMetadata().getName()); // the Job controller's part

    cluster.clock.advance(Duration.ofMinutes(10));
    cluster.edit("pi", j -> j.getSpec().getRunPolicy().setSuspend(false));
    cluster.reconcile("pi");

    job = cluster.job("pi");
    assertThat(workerNames()).containsExactly("pi-worker-0", "pi-worker-1");
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isTrue();
    assertThat(job.getStatus().getStartTime()).isEqualTo("2026-11-28T10:11:00Z");
    assertThat(conditions(job)).last().isEqualTo("Suspended=False/MPIJobResumed");

    cluster.setRunning("pi-worker-0", true);
    cluster.reconcile("pi");
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isTrue();

    cluster.setRunning("pi-worker-1", true);
    cluster.reconcile("pi");
    assertThat(cluster.launcher("pi").getSpec().getSuspend()).isFalse();
    assertThat(cluster.eventReasons())
        .containsExactly("MPIJobCreated", "MPIJobRunning", "MPIJobSuspended", "MPIJobResumed");
  }

  @Test
  void aJobManagedByMultiKueueIsLeftAlone() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setManagedBy("kueue.x-k8s.io/multikueue");
    cluster.create(spec);

    MPIJobController.Outcome outcome = cluster.reconcile("pi");

    assertThat(outcome.status()).isNull();
    assertThat(outcome.requeueAfter()).isNull();
    assertThat(cluster.job("pi").getStatus()).isNull();
    assertThat(cluster.snapshot()).containsOnlyKeys("MPIJob/pi");
  }

  @Test
  void aJobManagedByTheMpiOperatorIsReconciled() {
    MPIJob spec = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(spec).setManagedBy("kubeflow.org/mpi-operator");
    cluster.create(spec);

    cluster.reconcile("pi");

    assertThat(workerNames()).hasSize(2);
    assertThat(cluster.launcher("pi")).isNotNull();
    assertThat(last(cluster.job("pi"))).isEqualTo("Created=True");
  }
}
