package dev.strata.sandbox.apiserver;

import static dev.strata.sandbox.apiserver.KubeflowResources.MPIJOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sandbox API server through a fabric8 client: what controllers rely on. */
@Timeout(120)
class SandboxApiServerTest {

  private static SandboxApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = SandboxApiServer.start(0);
    client = server.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void startsWithTheUsualNamespacesAndServesVersion() {
    assertThat(client.namespaces().list().getItems())
        .extracting(ns -> ns.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
    assertThat(client.getKubernetesVersion().getMajor()).isEqualTo("1");
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
  }

  @Test
  void generateNameGetsFiveRandomCharactersAsKubeApiserverGives() {
    Pod template =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName("launcher-")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    String first =
        client.pods().inNamespace("default").resource(template).create().getMetadata().getName();
    String second =
        client.pods().inNamespace("default").resource(template).create().getMetadata().getName();

    assertThat(List.of(first, second))
        .allMatch(n -> n.matches("launcher-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    assertThat(first).isNotEqualTo(second);
    assertThat(client.pods().inNamespace("default").withName(first).get()).isNotNull();
  }

  @Test
  void aServerWithoutCustomResourcesServesOnlyTheBuiltInKinds() {
    try (SandboxApiServer compute = SandboxApiServer.start(0, List.of());
        KubernetesClient computeClient = compute.newClient()) {
      assertThat(computeClient.getApiGroups().getGroups())
          .extracting(g -> g.getName())
          .contains("apps", "batch")
          .doesNotContain("kubeflow.org");
      assertThat(computeClient.namespaces().withName("kube-system").get()).isNotNull();
      assertThat(compute.port()).isNotEqualTo(server.port());
    }
  }

  @Test
  void statusChangesOnlyThroughTheStatusSubresourceAndGenerationFollowsTheSpec() {
    GenericKubernetesResource created =
        jobs().resource(mpiJob("status-job", 1, Map.of("conditions", List.of()))).create();
    assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource withStatus = Serialization.clone(created);
    withStatus.setAdditionalProperty("status", Map.of("startTime", "2026-01-01T00:00:00Z"));
    GenericKubernetesResource afterStatus = jobs().resource(withStatus).updateStatus();
    assertThat(afterStatus.get("status", "startTime").toString()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource mainUpdate = Serialization.clone(afterStatus);
    mainUpdate.setAdditionalProperty("status", Map.of("startTime", "2030-01-01T00:00:00Z"));
    GenericKubernetesResource afterMain = jobs().resource(mainUpdate).update();
    assertThat(afterMain.get("status", "startTime").toString()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource specChange = Serialization.clone(afterMain);
    ((Map<String, Object>) specChange.get("spec")).put("slotsPerWorker", 4);
    assertThat(jobs().resource(specChange).update().getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void podStatusIsKeptOnMainUpdates() {
    Pod pod = client.pods().resource(pod("keeps-status")).create();
    pod.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    client.pods().resource(pod).updateStatus();
    Pod fetched = client.pods().withName("keeps-status").get();
    fetched.getStatus().setPhase("Failed");
    fetched.getMetadata().setLabels(Map.of("x", "y"));
    Pod updated = client.pods().resource(fetched).update();
    assertThat(updated.getStatus().getPhase()).isEqualTo("Running");
    assertThat(updated.getMetadata().getLabels()).containsEntry("x", "y");
  }

  @Test
  void anInvalidCustomResourceIsRefusedWithTheApiServersStatus() {
    assertThatThrownBy(() -> jobs().resource(mpiJob("two-launchers", 2, null)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
              assertThat(e.getStatus().getMessage())
                  .startsWith(
                      "MPIJob.kubeflow.org \"two-launchers\" is invalid: spec.mpiReplicaSpecs");
              assertThat(e.getStatus().getDetails().getKind()).isEqualTo("MPIJob");
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .contains("spec.mpiReplicaSpecs");
            });
    assertThat(jobs().withName("two-launchers").get()).isNull();
  }

  @Test
  void createsInMissingNamespacesAndDuplicatesAreRefused() {
    assertThatThrownBy(
            () -> client.configMaps().inNamespace("nowhere").resource(configMap("c")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nowhere\" not found");
            });
    client.configMaps().resource(configMap("dup")).create();
    assertThatThrownBy(() -> client.configMaps().resource(configMap("dup")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            });
  }

  @Test
  void bindingSetsTheNodeAndFieldSelectorsWork() {
    client.pods().resource(pod("bound")).create();
    client.pods().resource(pod("unbound")).create();
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName("bound")
            .endMetadata()
            .withNewTarget()
            .withKind("Node")
            .withName("node-1")
            .endTarget()
            .build();
    client.bindings().resource(binding).create();

    Pod bound = client.pods().withName("bound").get();
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(bound.getStatus().getConditions())
        .anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("True"));
    assertThat(client.pods().withField("spec.nodeName", "node-1").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("bound");
    assertThatThrownBy(() -> client.bindings().resource(binding).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void mergePatchReplacesListsAndNullRemovesFields() {
    client.configMaps().resource(configMap("patched")).create();
    GenericKubernetesResource job = jobs().resource(mpiJob("patched-job", 1, null)).create();
    assertThat(job).isNotNull();
    jobs()
        .withName("patched-job")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"mpiReplicaSpecs\":{\"Worker\":{\"template\":{\"spec\":{\"containers\":"
                + "[{\"name\":\"only\",\"image\":\"busybox\"}]}}}},\"slotsPerWorker\":null}}");
    GenericKubernetesResource patched = jobs().withName("patched-job").get();
    List<?> containers =
        patched.get("spec", "mpiReplicaSpecs", "Worker", "template", "spec", "containers");
    assertThat(containers).hasSize(1);
    // slotsPerWorker was removed by the patch, then defaulted again by admission
    assertThat(patched.get("spec", "slotsPerWorker").toString()).isEqualTo("1");
  }

  @Test
  void deletingAnOwnerDeletesItsDependents() {
    GenericKubernetesResource owner = jobs().resource(mpiJob("owner", 1, null)).create();
    client
        .configMaps()
        .resource(ownedConfigMap("owned", "owner", owner.getMetadata().getUid()))
        .create();
    client.configMaps().resource(configMap("unowned")).create();

    jobs().withName("owner").delete();
    assertThat(client.configMaps().withName("owned").get()).isNull();
    assertThat(client.configMaps().withName("unowned").get()).isNotNull();
  }

  @Test
  void aDependentCreatedAfterItsOwnerWasDeletedIsCollected() {
    GenericKubernetesResource owner = jobs().resource(mpiJob("gone", 1, null)).create();
    String uid = owner.getMetadata().getUid();
    jobs().withName("gone").delete();
    // As a controller whose cache still holds the deleted owner would create it.
    client.configMaps().resource(ownedConfigMap("late", "gone", uid)).create();
    assertThat(client.configMaps().withName("late").get()).isNull();

    // A live owner, or one of a kind the server does not serve, keeps its dependent.
    GenericKubernetesResource live = jobs().resource(mpiJob("live", 1, null)).create();
    client
        .configMaps()
        .resource(ownedConfigMap("kept", "live", live.getMetadata().getUid()))
        .create();
    assertThat(client.configMaps().withName("kept").get()).isNotNull();
    ConfigMap unknownKind = configMap("unknown-owner");
    unknownKind
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("example.com/v1")
                    .withKind("Widget")
                    .withName("w")
                    .withUid("0000")
                    .build()));
    client.configMaps().resource(unknownKind).create();
    assertThat(client.configMaps().withName("unknown-owner").get()).isNotNull();
    // Nor is a reference without a uid resolved: left alone.
    client.configMaps().resource(ownedConfigMap("no-uid", "gone", "")).create();
    assertThat(client.configMaps().withName("no-uid").get()).isNotNull();

    // Same name, another uid: the owner it names is gone.
    jobs().resource(mpiJob("gone", 1, null)).create();
    client.configMaps().resource(ownedConfigMap("stale", "gone", uid)).create();
    assertThat(client.configMaps().withName("stale").get()).isNull();
  }

  private static ConfigMap ownedConfigMap(String name, String ownerName, String ownerUid) {
    ConfigMap dependent = configMap(name);
    dependent
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("kubeflow.org/v2beta1")
                    .withKind("MPIJob")
                    .withName(ownerName)
                    .withUid(ownerUid)
                    .withController(true)
                    .build()));
    return dependent;
  }

  @Test
  void aFabric8WatchSeesChangesAfterItsStart() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("watched").endMetadata().build())
        .create();
    client.configMaps().inNamespace("watched").resource(configMap("before")).create();
    List<String> events = new CopyOnWriteArrayList<>();
    String listVersion =
        client.configMaps().inNamespace("watched").list().getMetadata().getResourceVersion();
    try (var watch =
        client
            .configMaps()
            .inNamespace("watched")
            .withResourceVersion(listVersion)
            .watch(
                new Watcher<ConfigMap>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    events.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client.configMaps().inNamespace("watched").resource(configMap("after")).create();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("ADDED after"));
      assertThat(events).doesNotContain("ADDED before");
    }
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      jobs() {
    return client.genericKubernetesResources(MPIJOBS).inNamespace("default");
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  private static GenericKubernetesResource mpiJob(
      String name, int launchers, Map<String, Object> status) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: kubeflow.org/v2beta1",
            "kind: MPIJob",
            "metadata:",
            "  name: " + name,
            "spec:",
            "  mpiReplicaSpecs:",
            "    Launcher:",
            "      replicas: " + launchers,
            "      template:",
            "        spec:",
            "          containers: [{name: launcher, image: busybox}]",
            "    Worker:",
            "      replicas: 2",
            "      template:",
            "        spec:",
            "          containers: [{name: a, image: busybox}, {name: b, image: busybox}]",
            "");
    GenericKubernetesResource job = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    if (status != null) {
      job.setAdditionalProperty("status", status);
    }
    return job;
  }

  @Test
  void podLogsOnASimulatedNodeSayWhatTheContainerWouldHaveRunAndBadRequestsAreRefused() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("sim-1").endMetadata().build())
        .create();
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("logged")
                .endMetadata()
                .withNewSpec()
                .withNodeName("sim-1")
                .addNewContainer()
                .withName("main")
                .withImage("trainer:1")
                .withCommand("python")
                .withArgs("train.py", "--epochs=1")
                .endContainer()
                .addNewContainer()
                .withName("side")
                .withImage("sidecar")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("main")
                .withNewState()
                .withNewTerminated()
                .withExitCode(3)
                .withReason("Error")
                .withFinishedAt("2026-01-01T00:00:05Z")
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();

    String log =
        client.pods().inNamespace("default").withName("logged").inContainer("main").getLog();
    assertThat(log)
        .contains(
            "container main was simulated on node sim-1",
            "image: trainer:1",
            "command: python train.py --epochs=1",
            "exited with code 3 (Error)");
    assertThatThrownBy(() -> client.pods().inNamespace("default").withName("logged").getLog())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("a container name must be specified for pod logged")
        .hasMessageContaining("[main, side]");
    assertThatThrownBy(
            () ->
                client
                    .pods()
                    .inNamespace("default")
                    .withName("logged")
                    .inContainer("nope")
                    .getLog())
        .hasMessageContaining("container nope is not valid for pod logged");
  }

  @Test
  void tokenReviewsVouchOnlyForTheServersOwnTokenAndAccessReviewsAllowEverything() {
    TokenReview review =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken("guess").endSpec().build());
    assertThat(review.getStatus().getAuthenticated()).isFalse();
    SubjectAccessReview access =
        client
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser("alice")
                    .withNewResourceAttributes()
                    .withVerb("get")
                    .withResource("nodes")
                    .withSubresource("log")
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    assertThat(access.getStatus().getAllowed()).isTrue();
  }
}
