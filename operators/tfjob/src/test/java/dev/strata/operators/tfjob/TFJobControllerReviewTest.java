package dev.strata.operators.tfjob;

import static dev.strata.operators.tfjob.TFJobControllerTest.job;
import static dev.strata.operators.tfjob.TFJobControllerTest.runPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.tfjob.model.Observed;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step-by-step reconciles, against the CRUD mock API server, of the cases the MPIJob controller's
 * review found and the TFJob controller shares: suspended time and the deadline, validation
 * failures that finish the job, state decided before acting, name clashes found on create, write
 * refusals, terminating pods, and restart counts read from a stale cache.
 */
@EnableKubernetesMockClient(crud = true)
class TFJobControllerReviewTest {
  KubernetesClient client;
  KubernetesMockServer server;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  // ---- 1. suspend and the deadline -----------------------------------------------------------

  @Test
  void timeSpentSuspendedDoesNotCountAgainstTheDeadline() {
    cluster.create(job("activeDeadlineSeconds: 100", "", "Worker:2"));
    cluster.reconcile("tf");
    cluster.clock.advance(Duration.ofSeconds(60));
    cluster.edit("tf", j -> runPolicy(j).setSuspend(true));

    TFJobController.Outcome suspended = cluster.reconcile("tf");
    assertThat(suspended.requeueAfter()).as("no deadline runs while suspended").isNull();

    cluster.clock.advance(Duration.ofHours(2));
    cluster.edit("tf", j -> runPolicy(j).setSuspend(false));
    TFJobController.Outcome resumed = cluster.reconcile("tf");

    assertThat(cluster.conditions("tf")).doesNotContain("Failed");
    assertThat(cluster.job("tf").getStatus().getStartTime()).isEqualTo("2026-11-28T12:01:00Z");
    assertThat(resumed.requeueAfter()).isEqualTo(Duration.ofSeconds(100));
    assertThat(cluster.podNames()).containsExactly("tf-worker-0", "tf-worker-1");
  }

  // ---- 2. validation failures ----------------------------------------------------------------

  @Test
  void aSpecThatFailsValidationFinishesTheJobSoCleanUpAndTtlApply() {
    cluster.create(job("cleanPodPolicy: All, ttlSecondsAfterFinished: 30", "", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    cluster.clock.advance(Duration.ofSeconds(10));
    // The API server has no CEL rules: an edit can make the spec one upstream refuses.
    cluster.edit("tf", j -> j.getSpec().getTfReplicaSpecs().get("Worker").setReplicas(-1));

    TFJobController.Outcome refused = cluster.reconcile("tf");

    var failed = cluster.last("tf");
    assertThat(failed.getType() + "/" + failed.getReason()).isEqualTo("Failed/ValidationError");
    assertThat(cluster.job("tf").getStatus().getCompletionTime()).isEqualTo("2026-11-28T10:00:10Z");
    assertThat(cluster.pods()).as("cleanPodPolicy All").isEmpty();
    assertThat(cluster.services()).isEmpty();
    assertThat(refused.requeueAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cluster.reconcile("tf").status()).as("settled").isNull();
    assertThat(cluster.eventReasons()).containsOnlyOnce("ValidationError");

    cluster.clock.advance(Duration.ofSeconds(30));
    assertThat(cluster.reconcile("tf").deleted()).isTrue();
    assertThat(cluster.job("tf")).isNull();
  }

  @Test
  void aSucceededJobIsNotJudgedAgainWhenItsSpecBecomesInvalid() {
    cluster.create(job("", "", "Worker:1"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.succeed("tf-worker-0");
    cluster.reconcile("tf");
    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
    cluster.edit("tf", j -> j.getSpec().getTfReplicaSpecs().get("Worker").setRestartPolicy("X"));

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
    assertThat(cluster.conditions("tf")).doesNotContain("Failed");
    assertThat(cluster.eventReasons()).doesNotContain("ValidationError");
  }

  // ---- 3. decide before acting ---------------------------------------------------------------

  @Test
  void theReconcileThatEndsTheJobCreatesNothing() {
    cluster.create(job("", "", "Chief:1", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    cluster.deletePod("tf-worker-1");
    cluster.succeed("tf-chief-0");

    cluster.reconcile("tf");

    assertThat(cluster.state("tf")).isEqualTo("Succeeded");
    assertThat(cluster.podNames()).containsExactly("tf-chief-0", "tf-worker-0");
  }

  // ---- 4. name clashes -----------------------------------------------------------------------

  @Test
  void aPodNameTakenByAPodTheSelectorsCannotSeeIsReportedWithoutAStatusWrite() {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("tf-worker-1")
                .withNamespace(MockCluster.NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("x")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
    cluster.create(job("", "", "Worker:2"));

    TFJobController.Outcome outcome = cluster.reconcile("tf");

    assertThat(outcome.status()).isNull();
    assertThat(outcome.requeueAfter()).isEqualTo(TFJobController.FOREIGN_OBJECT_RETRY);
    assertThat(cluster.eventReasons()).containsExactly("ErrResourceExists");
    assertThat(cluster.events().get(0).getMessage()).contains("\"tf-worker-1\"");
    assertThat(cluster.pod("tf-worker-1").getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  // ---- 5. write refusals ---------------------------------------------------------------------

  @Test
  void aCreateTheApiServerRefusesBecomesAWarningAndARetry() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + MockCluster.NAMESPACE + "/pods")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("exceeded quota: compute")
                .build())
        .once();
    cluster.create(job("", "", "Worker:1"));

    TFJobController.Outcome refused = cluster.reconcile("tf");

    assertThat(refused.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cluster.conditions("tf")).isEqualTo("Created=True");
    Event warning =
        cluster.events().stream()
            .filter(e -> "TFJobFailed".equals(e.getReason()))
            .findFirst()
            .orElseThrow();
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage())
        .startsWith("could not create the job's objects: ")
        .contains("exceeded quota");
    assertThat(cluster.pods()).isEmpty();

    cluster.reconcile("tf");
    assertThat(cluster.podNames()).containsExactly("tf-worker-0");
  }

  // ---- 6. terminating pods -------------------------------------------------------------------

  @Test
  void terminatingPodsAreNotDeletedAgainOnEveryReconcile() throws InterruptedException {
    cluster.create(job("", "", "Worker:2"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    Pod held = cluster.pod("tf-worker-1");
    held.getMetadata().setFinalizers(List.of("example.com/hold"));
    client.resource(held).update();
    cluster.deletePod("tf-worker-1");
    assertThat(cluster.pod("tf-worker-1").getMetadata().getDeletionTimestamp()).isNotNull();
    cluster.edit("tf", j -> runPolicy(j).setSuspend(true));
    requests();

    cluster.reconcile("tf");
    cluster.reconcile("tf");

    List<String> deletes =
        requests().stream()
            .filter(r -> "DELETE".equals(r.getMethod()))
            .map(r -> r.getPath().replaceAll("\\?.*", ""))
            .filter(p -> p.contains("/pods/"))
            .toList();
    assertThat(deletes)
        .as("one delete each, none for the pod already going")
        .containsExactly("/api/v1/namespaces/team-a/pods/tf-worker-0");
  }

  @Test
  void aTerminatingPodDoesNotStandInForItsReplica() {
    cluster.create(job("", "", "Worker:1"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.reconcile("tf");
    Pod held = cluster.pod("tf-worker-0");
    held.getMetadata().setFinalizers(List.of("example.com/hold"));
    client.resource(held).update();
    cluster.succeed("tf-worker-0");
    cluster.deletePod("tf-worker-0");

    cluster.reconcile("tf");

    assertThat(cluster.conditions("tf")).doesNotContain("Succeeded");
  }

  // ---- odd input -----------------------------------------------------------------------------

  @Test
  void aPodOfOursWithANegativeReplicaIndexIsRemovedNotAnException() {
    cluster.create(job("", "", "Worker:1"));
    cluster.reconcile("tf");
    Pod odd = cluster.pod("tf-worker-0");
    odd.getMetadata().setName("tf-worker--1");
    odd.getMetadata().setResourceVersion(null);
    odd.getMetadata().setUid(null);
    odd.getMetadata().getLabels().put("training.kubeflow.org/replica-index", "-1");
    client.resource(odd).create();

    cluster.reconcile("tf");

    assertThat(cluster.podNames()).containsExactly("tf-worker-0");
  }

  // ---- 8. restart counts from a stale cache --------------------------------------------------

  @Test
  void aStaleServiceInTheCacheDelaysARestartRatherThanLosingItsCount() {
    cluster.create(job("backoffLimit: 1", "", "Worker:1:ExitCode"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-0", 137);
    TFJob job = cluster.job("tf");
    Observed stale = cluster.observer.observe(job);
    // The Service changes after the cache read: the count update meets a conflict.
    Service changed = cluster.service("tf-worker-0");
    changed.getMetadata().setAnnotations(Map.of("example.com/note", "x"));
    client.resource(changed).update();

    cluster.controller.reconcile(job, stale);

    assertThat(cluster.pod("tf-worker-0"))
        .as("not deleted before its restart is counted")
        .isNotNull();
    cluster.reconcile("tf");
    assertThat(restarts()).isEqualTo("1");
    assertThat(cluster.pod("tf-worker-0")).isNull();
  }

  @Test
  void aDeletedPodStillInTheCacheIsNotCountedTwice() {
    cluster.create(job("backoffLimit: 1", "", "Worker:1:ExitCode"));
    cluster.reconcile("tf");
    cluster.runAll();
    cluster.exit("tf-worker-0", 137);
    List<Pod> stalePods = cluster.observer.observe(cluster.job("tf")).pods();
    cluster.reconcile("tf");
    assertThat(restarts()).isEqualTo("1");
    assertThat(cluster.state("tf")).isEqualTo("Restarting");

    // The pod cache has not seen the deletion yet; the Service cache has seen the count.
    TFJob job = cluster.job("tf");
    Observed lagging = new Observed(stalePods, cluster.observer.observe(job).services());
    TFJobController.Outcome outcome = cluster.controller.reconcile(job, lagging);

    assertThat(outcome.status()).as("still Restarting, not past the backoff limit").isNull();
    assertThat(restarts()).isEqualTo("1");
    cluster.reconcile("tf");
    assertThat(cluster.podNames()).containsExactly("tf-worker-0");
    assertThat(cluster.state("tf")).isEqualTo("Restarting");
  }

  private String restarts() {
    Map<String, String> annotations = cluster.service("tf-worker-0").getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("strata.dev/restarts");
  }

  /** The requests the mock server received since the last call. */
  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(50, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      requests.add(r);
    }
    return requests;
  }
}
