package dev.strata.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas electing a leader through a Lease against one API server: the leader
 * reconciles; once it stops, the other takes the Lease and reconciles the next job.
 */
class OperatorLeaderElectionTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /**
   * The CRUD mock plus the answer a cluster-admin gets to a SelfSubjectRulesReview, which
   * java-operator-sdk asks before it competes for the Lease.
   */
  static final class RulesReviewDispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
        return new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                    + "\"spec\":{},\"status\":{\"incomplete\":false,\"resourceRules\":"
                    + "[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
                    + "\"nonResourceRules\":[]}}");
      }
      return super.handleCreate(request);
    }
  }

  private KubernetesMockServer api;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<StrataOperator> operators = new ArrayList<>();

  @BeforeEach
  void start() {
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new RulesReviewDispatcher(),
            false);
    api.init();
  }

  @AfterEach
  void stop() {
    operators.forEach(StrataOperator::close);
    clients.forEach(KubernetesClient::close);
    api.destroy();
  }

  private KubernetesClient client() {
    KubernetesClient c =
        new KubernetesClientBuilder()
            .withConfig(api.createClient().getConfiguration())
            .withHttpClientFactory(new VertxHttpClientFactory())
            .build();
    clients.add(c);
    return c;
  }

  private StrataOperator replica(String identity) {
    StrataOperator operator =
        StrataOperator.start(
            client(),
            new OperatorOptions(
                Set.of(OperatorOptions.MPIJOB),
                Set.of(),
                JobPodPolicy.platform(),
                2,
                LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("strata-operator")
                    .withLeaseNamespace("strata-system")
                    .withIdentity(identity)
                    .withLeaseDuration(Duration.ofSeconds(3))
                    .withRenewDeadline(Duration.ofSeconds(2))
                    .withRetryPeriod(Duration.ofMillis(200))
                    .withExitOnStopLeading(false)
                    .build()));
    operators.add(operator);
    return operator;
  }

  private String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("strata-system").withName("strata-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private void createJob(KubernetesClient client, String name) {
    client
        .resource(
            YAML.unmarshal(
                """
                apiVersion: kubeflow.org/v2beta1
                kind: MPIJob
                metadata: {name: %s, namespace: team-a}
                spec:
                  mpiReplicaSpecs:
                    Launcher:
                      replicas: 1
                      template: {spec: {containers: [{name: l, image: horovod, command: [mpirun, hostname]}]}}
                    Worker:
                      replicas: 2
                      template: {spec: {containers: [{name: w, image: horovod}]}}
                """
                    .formatted(name),
                MPIJob.class))
        .create();
  }

  private boolean reconciled(KubernetesClient client, String name) {
    return client.configMaps().inNamespace("team-a").withName(name + "-config").get() != null;
  }

  @Test
  void theLeaderReconcilesAndTheOtherTakesOverWhenItStops() {
    KubernetesClient test = client();
    StrataOperator a = replica("replica-a");
    await().atMost(Duration.ofSeconds(20)).until(() -> "replica-a".equals(holder(test)));
    replica("replica-b");

    createJob(test, "first");
    await().atMost(Duration.ofSeconds(20)).until(() -> reconciled(test, "first"));
    assertThat(holder(test)).isEqualTo("replica-a");

    a.close();
    operators.remove(a);
    await().atMost(Duration.ofSeconds(20)).until(() -> "replica-b".equals(holder(test)));
    createJob(test, "second");
    await().atMost(Duration.ofSeconds(20)).until(() -> reconciled(test, "second"));
  }
}
