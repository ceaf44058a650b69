package dev.strata.virtualnode.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.virtualnode.node.NodeController;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodForwarderTest {
  static final String NODE = "strata-compute";
  static final String NS = "team";
  static final String COMPUTE_NS = "acme-team";

  final Clusters clusters = new Clusters();
  final KubernetesMockServer tenantServer = clusters.server();
  final KubernetesMockServer computeServer = clusters.server();
  final KubernetesClient tenant = clusters.client(tenantServer);
  final KubernetesClient compute = clusters.client(computeServer);

  ForwardingConfig config =
      ForwardingConfig.defaults("acme", NODE)
          .withPriorityClassTiers(Map.of("production", "high"))
          .withTiming(Duration.ofSeconds(30), Duration.ofMillis(300));

  /** Generous for a shared 2-core machine; a passing wait returns as soon as it holds. */
  @org.junit.jupiter.api.BeforeAll
  static void patience() {
    org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws Exception {
    clusters.close();
  }

  /** The node half started with the last forwarder: its probe keeps the shared reachability. */
  NodeController node;

  PodForwarder start(KubernetesClient computeClient) {
    return start(tenant, computeClient, config);
  }

  /**
   * A forwarder wired as the process wires it: after the node controller, reading its reachability.
   * The node's timings are scaled down tenfold, as in NodeControllerTest.
   */
  PodForwarder start(
      KubernetesClient tenantClient, KubernetesClient computeClient, ForwardingConfig forwarding) {
    node =
        new NodeController(
                tenantClient,
                computeClient,
                NodeOptions.defaults(forwarding.tenant(), NODE, "compute", "127.0.0.1", 10250)
                    .withTimings(
                        Duration.ofMillis(1000),
                        Duration.ofMillis(200),
                        Duration.ofMillis(1000),
                        Duration.ofMillis(2000),
                        Duration.ofMillis(6000)),
                Clock.systemUTC())
            .start();
    clusters.closeLater(node);
    PodForwarder forwarder =
        new PodForwarder(tenantClient, computeClient, forwarding, node.reachability()).start();
    clusters.closeLater(forwarder);
    return forwarder;
  }

  PodForwarder start() {
    return start(compute);
  }

  static Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels("app", "trainer")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("main")
        .withImage("trainer:1")
        .endContainer()
        .endSpec()
        .build();
  }

  Pod tenantPod(String name) {
    return tenant.pods().inNamespace(NS).withName(name).get();
  }

  Pod computePod(String name) {
    return compute.pods().inNamespace(COMPUTE_NS).withName(name).get();
  }

  boolean accepted(String name) {
    Pod p = tenantPod(name);
    return p.getStatus() != null && p.getStatus().getStartTime() != null;
  }

  String phase(Pod p) {
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  /** What the compute node's kubelet would do: report the pod running. */
  void runOnCompute(String name) {
    Pod p = computePod(name);
    p.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("10.1.2.3")
            .withStartTime("2026-11-28T12:00:00Z")
            .addToConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .addToContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("main")
                    .withReady(true)
                    .withRestartCount(0)
                    .withImage("trainer:1")
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt("2026-11-28T12:00:01Z")
                    .endRunning()
                    .endState()
                    .build())
            .build());
    compute.pods().inNamespace(COMPUTE_NS).resource(p).updateStatus();
  }

  @Test
  void aBoundPodCrossesWithItsDependenciesAndWithoutWhatCannotCross() {
    tenant
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    tenant
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .addToData("p", "cGFzcw==")
                .build())
        .create();
    tenant
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("pull")
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", "e30=")
                .build())
        .create();
    tenant
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("job")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .addToSelector("app", "trainer")
                .endSpec()
                .build())
        .create();
    tenant
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withVolumeName("pv-tenant")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    Pod pod =
        new PodBuilder(pod("job-worker-0", NODE))
            .editMetadata()
            .addToLabels("strata.dev/gang-name", "job")
            .addToAnnotations("strata.dev/gang-min-member", "2")
            .addNewOwnerReference()
            .withApiVersion("kubeflow.org/v2beta1")
            .withKind("MPIJob")
            .withName("job")
            .withUid("u-1")
            .endOwnerReference()
            .endMetadata()
            .editSpec()
            .withPriorityClassName("production")
            .withServiceAccountName("job-launcher")
            .withHostname("job-worker-0")
            .withSubdomain("job")
            .addNewImagePullSecret("pull")
            .addNewVolume()
            .withName("cfg")
            .withNewConfigMap()
            .withName("cfg")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data")
            .endPersistentVolumeClaim()
            .endVolume()
            .addNewVolume()
            .withName("kube-api-access-x")
            .withNewProjected()
            .addNewSource()
            .withNewServiceAccountToken()
            .withPath("token")
            .endServiceAccountToken()
            .endSource()
            .endProjected()
            .endVolume()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("kube-api-access-x")
            .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
            .endVolumeMount()
            .addNewEnv()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("p", "creds", false)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .withNewDnsConfig()
            .addToSearches("job." + NS + ".svc.cluster.local")
            .endDnsConfig()
            .endSpec()
            .build();
    tenant.resource(pod).create();
    tenant.resource(pod("elsewhere", "real-node-1")).create();
    start();

    await().until(() -> computePod("job-worker-0") != null);
    Pod out = computePod("job-worker-0");
    Pod in = tenantPod("job-worker-0");
    assertThat(out.getMetadata().getLabels())
        .containsEntry("strata.dev/tenant", "acme")
        .containsEntry("strata.dev/source-namespace", NS)
        .containsEntry("strata.dev/source-name", "job-worker-0")
        .containsEntry("strata.dev/source-uid", in.getMetadata().getUid())
        .containsEntry("strata.dev/managed-by", "virtual-node-acme")
        .containsEntry("strata.dev/tier", "high")
        .containsEntry("strata.dev/gang-name", "acme.team.job")
        .containsEntry("app", "trainer");
    assertThat(out.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(out.getSpec().getNodeName()).isNull();
    assertThat(out.getSpec().getSchedulerName()).isEqualTo("strata-scheduler");
    assertThat(out.getSpec().getPriorityClassName()).isEqualTo("strata-high");
    assertThat(out.getSpec().getServiceAccountName()).isNull();
    assertThat(out.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(out.getSpec().getEnableServiceLinks()).isFalse();
    assertThat(out.getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("cfg", "data");
    assertThat(out.getSpec().getContainers().get(0).getVolumeMounts()).isEmpty();
    assertThat(out.getSpec().getHostname()).isEqualTo("job-worker-0");
    assertThat(out.getSpec().getSubdomain()).isEqualTo("job");
    assertThat(out.getSpec().getDnsConfig().getSearches())
        .containsExactly("job." + COMPUTE_NS + ".svc.cluster.local");

    await().until(() -> compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() != null);
    assertThat(compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get().getData())
        .containsEntry("k", "v");
    assertThat(compute.secrets().inNamespace(COMPUTE_NS).withName("creds").get().getData())
        .containsEntry("p", "cGFzcw==");
    assertThat(compute.secrets().inNamespace(COMPUTE_NS).withName("pull").get().getType())
        .isEqualTo("kubernetes.io/dockerconfigjson");
    Service svc = compute.services().inNamespace(COMPUTE_NS).withName("job").get();
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getSelector()).containsEntry("app", "trainer");
    var pvc = compute.persistentVolumeClaims().inNamespace(COMPUTE_NS).withName("data").get();
    assertThat(pvc.getSpec().getVolumeName()).isNull();
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(compute.namespaces().withName(COMPUTE_NS).get().getMetadata().getLabels())
        .containsEntry("strata.dev/tenant", "acme");

    await().until(() -> accepted("job-worker-0"));
    assertThat(phase(tenantPod("job-worker-0"))).isEqualTo("Pending");
    assertThat(compute.pods().inAnyNamespace().list().getItems()).hasSize(1);
  }

  @Test
  void statusAndEventsComeBack() {
    tenant.resource(pod("p", NODE)).create();
    start();
    await().until(() -> computePod("p") != null);

    runOnCompute("p");

    await().until(() -> "Running".equals(phase(tenantPod("p"))));
    Pod in = tenantPod("p");
    assertThat(in.getStatus().getPodIP()).isEqualTo("10.1.2.3");
    assertThat(in.getStatus().getStartTime()).isEqualTo("2026-11-28T12:00:00Z");
    assertThat(in.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
    assertThat(in.getStatus().getConditions())
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));

    Pod out = computePod("p");
    compute
        .v1()
        .events()
        .inNamespace(COMPUTE_NS)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("p.pulled")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withNamespace(COMPUTE_NS)
                .withName("p")
                .withUid(out.getMetadata().getUid())
                .endInvolvedObject()
                .withReason("Pulled")
                .withMessage("Successfully pulled image trainer:1")
                .withType("Normal")
                .withCount(1)
                .build())
        .create();

    await().until(() -> !tenant.v1().events().inNamespace(NS).list().getItems().isEmpty());
    Event reflected = tenant.v1().events().inNamespace(NS).list().getItems().get(0);
    assertThat(reflected.getReason()).isEqualTo("Pulled");
    assertThat(reflected.getMessage()).isEqualTo("Successfully pulled image trainer:1");
    assertThat(reflected.getInvolvedObject().getName()).isEqualTo("p");
    assertThat(reflected.getInvolvedObject().getUid()).isEqualTo(in.getMetadata().getUid());
  }

  @Test
  void tenantUpdatesGoForwardAndKeepComputeAnnotations() {
    tenant
        .resource(
            new PodBuilder(pod("p", NODE))
                .editMetadata()
                .addToAnnotations("note", "a")
                .endMetadata()
                .build())
        .create();
    start();
    await().until(() -> computePod("p") != null);
    Pod scheduled = computePod("p");
    scheduled.getMetadata().getAnnotations().put("strata.dev/gpu-indices", "0,1");
    compute.resource(scheduled).update();

    Pod in = tenantPod("p");
    in.getMetadata().getLabels().put("stage", "two");
    in.getMetadata().getAnnotations().remove("note");
    in.getMetadata().getAnnotations().put("other", "b");
    in.getSpec().getContainers().get(0).setImage("trainer:2");
    in.getSpec().setActiveDeadlineSeconds(600L);
    tenant.resource(in).update();

    await()
        .until(
            () -> "trainer:2".equals(computePod("p").getSpec().getContainers().get(0).getImage()));
    Pod out = computePod("p");
    assertThat(out.getMetadata().getLabels()).containsEntry("stage", "two");
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry("other", "b")
        .containsEntry("strata.dev/gpu-indices", "0,1")
        .doesNotContainKey("note");
    assertThat(out.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
  }

  @Test
  void referencedObjectsStayInSync() {
    tenant
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .addToData("k", "v1")
                .build())
        .create();
    tenant
        .resource(
            new PodBuilder(pod("p", NODE))
                .editSpec()
                .editFirstContainer()
                .addNewEnvFrom()
                .withNewConfigMapRef("cfg", false)
                .endEnvFrom()
                .endContainer()
                .endSpec()
                .build())
        .create();
    start();
    await().until(() -> compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() != null);

    ConfigMap cfg = tenant.configMaps().inNamespace(NS).withName("cfg").get();
    cfg.getData().put("k", "v2");
    tenant.resource(cfg).update();

    await()
        .until(
            () ->
                "v2"
                    .equals(
                        compute
                            .configMaps()
                            .inNamespace(COMPUTE_NS)
                            .withName("cfg")
                            .get()
                            .getData()
                            .get("k")));
  }

  @Test
  void deletingTheTenantPodDeletesTheComputePod() {
    tenant.resource(pod("p", NODE)).create();
    start();
    await().until(() -> computePod("p") != null);

    tenant.pods().inNamespace(NS).withName("p").delete();

    await().until(() -> computePod("p") == null);
  }

  @Test
  void aComputePodThatDisappearsEndsTheTenantPodWithTheReason() {
    tenant.resource(pod("preempted", NODE)).create();
    tenant.resource(pod("deleted", NODE)).create();
    tenant.resource(pod("evicted", NODE)).create();
    start();
    await()
        .until(() -> accepted("preempted") && accepted("deleted") && computePod("evicted") != null);

    Pod victim = computePod("preempted");
    victim.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .addToConditions(
                new PodConditionBuilder()
                    .withType("DisruptionTarget")
                    .withStatus("True")
                    .withReason("PreemptionByScheduler")
                    .withMessage("preempted by acme/big-job")
                    .build())
            .build());
    compute.pods().inNamespace(COMPUTE_NS).resource(victim).updateStatus();
    await().until(() -> computePod("preempted").getStatus().getConditions().size() == 1);
    compute.pods().inNamespace(COMPUTE_NS).withName("preempted").delete();
    compute.pods().inNamespace(COMPUTE_NS).withName("deleted").delete();
    Pod evicted = computePod("evicted");
    evicted.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("node low on memory")
            .build());
    compute.pods().inNamespace(COMPUTE_NS).resource(evicted).updateStatus();

    await()
        .until(
            () ->
                "Failed".equals(phase(tenantPod("preempted")))
                    && "Failed".equals(phase(tenantPod("deleted")))
                    && "Failed".equals(phase(tenantPod("evicted"))));
    assertThat(tenantPod("preempted").getStatus().getReason()).isEqualTo("Preempted");
    assertThat(tenantPod("preempted").getStatus().getMessage())
        .isEqualTo("preempted by acme/big-job");
    // The disruption travels too, so the tenant's job controllers tell it from a failed workload.
    assertThat(tenantPod("preempted").getStatus().getConditions())
        .filteredOn(c -> "DisruptionTarget".equals(c.getType()))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("PreemptionByScheduler");
            });
    assertThat(tenantPod("deleted").getStatus().getConditions())
        .noneMatch(c -> "DisruptionTarget".equals(c.getType()));
    assertThat(tenantPod("deleted").getStatus().getReason()).isEqualTo("ComputePodDeleted");
    assertThat(tenantPod("evicted").getStatus().getReason()).isEqualTo("Evicted");
    // Failed for good: the forwarder does not bring the pod back.
    await().during(Duration.ofMillis(500)).until(() -> computePod("deleted") == null);
  }

  @Test
  void aRecreatedTenantPodReplacesTheOldComputePod() {
    tenant.resource(pod("p", NODE)).create();
    start();
    await().until(() -> computePod("p") != null);
    String firstUid = tenantPod("p").getMetadata().getUid();

    tenant.pods().inNamespace(NS).withName("p").delete();
    await().until(() -> tenantPod("p") == null);
    tenant.resource(pod("p", NODE)).create();
    String secondUid = tenantPod("p").getMetadata().getUid();

    assertThat(secondUid).isNotEqualTo(firstUid);
    await()
        .until(
            () ->
                computePod("p") != null
                    && secondUid.equals(
                        computePod("p").getMetadata().getLabels().get("strata.dev/source-uid")));
  }

  @Test
  void anOutageWithinTheGraceTimeEndsNothingAndEverythingResyncsAfter() throws Exception {
    ToggleProxy proxy = clusters.proxy(computeServer);
    tenant.resource(pod("running", NODE)).create();
    tenant.resource(pod("goes-away", NODE)).create();
    start(clusters.client(proxy.port()));
    await().until(() -> computePod("running") != null && computePod("goes-away") != null);
    await().until(() -> accepted("running"));

    proxy.cut();
    await().until(() -> !node.reachability().reachable());
    tenant.resource(pod("new", NODE)).create();
    tenant.pods().inNamespace(NS).withName("goes-away").delete();
    runOnCompute("running");
    compute.pods().inNamespace(COMPUTE_NS).withName("running").get();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(
            () ->
                "Pending".equals(phase(tenantPod("running")))
                    && computePod("goes-away") != null
                    && computePod("new") == null);

    proxy.restore();

    await().atMost(Duration.ofSeconds(20)).until(() -> node.reachability().reachable());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                computePod("new") != null
                    && computePod("goes-away") == null
                    && "Running".equals(phase(tenantPod("running"))));
  }

  @Test
  void anOutageLongerThanTheGraceTimeFailsTheForwardedPods() throws Exception {
    config = config.withTiming(Duration.ofSeconds(1), Duration.ofMillis(300));
    ToggleProxy proxy = clusters.proxy(computeServer);
    tenant.resource(pod("p", NODE)).create();
    start(clusters.client(proxy.port()));
    await().until(() -> accepted("p"));

    proxy.cut();

    await().atMost(Duration.ofSeconds(15)).until(() -> "Failed".equals(phase(tenantPod("p"))));
    assertThat(tenantPod("p").getStatus().getReason()).isEqualTo("ComputeUnreachable");
    assertThat(node.reachability().reachable()).isFalse();
    proxy.restore();
    // Back online, the tenant's verdict stands: the compute pod of a failed pod is stopped.
    await().atMost(Duration.ofSeconds(20)).until(() -> computePod("p") == null);
  }

  @Test
  void aRestartedForwarderMakesNoDuplicatesAndLosesNoStatus() {
    tenant.resource(pod("a", NODE)).create();
    tenant.resource(pod("b", NODE)).create();
    PodForwarder first = start();
    await().until(() -> computePod("a") != null && computePod("b") != null);
    await().until(() -> accepted("a") && accepted("b"));
    String uidA = computePod("a").getMetadata().getUid();
    first.close();
    node.close();

    runOnCompute("a");
    tenant.resource(pod("c", NODE)).create();
    tenant.pods().inNamespace(NS).withName("b").delete();
    start();

    await()
        .until(
            () ->
                "Running".equals(phase(tenantPod("a")))
                    && computePod("c") != null
                    && computePod("b") == null);
    assertThat(computePod("a").getMetadata().getUid()).isEqualTo(uidA);
    assertThat(compute.pods().inNamespace(COMPUTE_NS).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void twoTenantsShareOneComputeClusterWithoutMeeting() {
    KubernetesMockServer otherServer = clusters.server();
    KubernetesClient other = clusters.client(otherServer);
    tenant.resource(pod("worker-0", NODE)).create();
    other
        .resource(
            new PodBuilder(pod("worker-0", NODE))
                .editMetadata()
                .addToLabels("strata.dev/gang-name", "job")
                .endMetadata()
                .build())
        .create();
    start();
    start(
        other,
        compute,
        ForwardingConfig.defaults("bravo", NODE)
            .withTiming(Duration.ofSeconds(30), Duration.ofMillis(300)));

    await()
        .until(
            () ->
                computePod("worker-0") != null
                    && compute.pods().inNamespace("bravo-team").withName("worker-0").get() != null);
    assertThat(
            compute
                .pods()
                .inNamespace("bravo-team")
                .withName("worker-0")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("strata.dev/tenant", "bravo")
        .containsEntry("strata.dev/gang-name", "bravo.team.job");

    tenant.pods().inNamespace(NS).withName("worker-0").delete();
    await().until(() -> computePod("worker-0") == null);
    // Several GC rounds of both tenants later, bravo's pod is still there.
    await()
        .during(Duration.ofSeconds(1))
        .until(() -> compute.pods().inNamespace("bravo-team").withName("worker-0").get() != null);
  }

  @Test
  void garbageCollectionRemovesOnlyOwnOrphans() {
    tenant
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    tenant
        .resource(
            new PodBuilder(pod("p", NODE))
                .editSpec()
                .addNewVolume()
                .withName("cfg")
                .withNewConfigMap()
                .withName("cfg")
                .endConfigMap()
                .endVolume()
                .endSpec()
                .build())
        .create();
    compute
        .resource(
            new PodBuilder(pod("orphan", null))
                .editMetadata()
                .withNamespace(COMPUTE_NS)
                .addToLabels(
                    Map.of(
                        "strata.dev/tenant",
                        "acme",
                        "strata.dev/managed-by",
                        "virtual-node-acme",
                        "strata.dev/source-namespace",
                        NS,
                        "strata.dev/source-name",
                        "orphan",
                        "strata.dev/source-uid",
                        "gone"))
                .endMetadata()
                .build())
        .create();
    compute
        .resource(
            new PodBuilder(pod("not-ours", null))
                .editMetadata()
                .withNamespace(COMPUTE_NS)
                .endMetadata()
                .build())
        .create();
    start();
    await()
        .until(
            () ->
                computePod("p") != null
                    && compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() != null);

    await().until(() -> computePod("orphan") == null);
    tenant.pods().inNamespace(NS).withName("p").delete();
    await()
        .until(
            () ->
                computePod("p") == null
                    && compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() == null);
    assertThat(computePod("not-ours")).isNotNull();
    assertThat(compute.pods().inNamespace(COMPUTE_NS).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("not-ours");
    assertThat(List.of(tenant.configMaps().inNamespace(NS).withName("cfg").get())).hasSize(1);
  }

  @Test
  void aComputeNamespaceOfAnotherTenantIsNeverSharedAndTheTenantIsTold() {
    compute
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(COMPUTE_NS)
                .addToLabels("strata.dev/tenant", "intruder")
                .endMetadata()
                .build())
        .create();
    tenant.resource(pod("p", NODE)).create();
    start();

    await()
        .until(
            () ->
                tenant.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(e -> "NamespaceConflict".equals(e.getReason())));
    assertThat(computePod("p")).isNull();
    assertThat(accepted("p")).isFalse();
  }

  @Test
  void aHeadlessServiceCreatedAfterThePodFollowsItAndADeletedSourceTakesItsCopy() {
    tenant
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    tenant
        .resource(
            new PodBuilder(pod("p", NODE))
                .editSpec()
                .addNewVolume()
                .withName("cfg")
                .withNewConfigMap()
                .withName("cfg")
                .endConfigMap()
                .endVolume()
                .endSpec()
                .build())
        .create();
    start();
    await()
        .until(
            () ->
                computePod("p") != null
                    && compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() != null);

    tenant
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("trainer")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .addToSelector("app", "trainer")
                .endSpec()
                .build())
        .create();
    tenant.configMaps().inNamespace(NS).withName("cfg").delete();

    await()
        .until(() -> compute.services().inNamespace(COMPUTE_NS).withName("trainer").get() != null);
    await().until(() -> compute.configMaps().inNamespace(COMPUTE_NS).withName("cfg").get() == null);
  }

  @Test
  void aTerminatingTenantPodStopsItsComputePodThenFinishesItsDeletion() {
    tenant
        .resource(
            new PodBuilder(pod("p", NODE))
                .editMetadata()
                .addToFinalizers("strata.dev/test-hold")
                .endMetadata()
                .build())
        .create();
    start();
    await().until(() -> computePod("p") != null);

    tenant.pods().inNamespace(NS).withName("p").withGracePeriod(30).delete();
    await().until(() -> tenantPod("p").getMetadata().getDeletionTimestamp() != null);

    await().until(() -> computePod("p") == null);
    assertThat(tenantPod("p")).isNotNull(); // the test's finalizer holds it; the forwarder asked
  }

  @Test
  void aForeignComputePodOfTheSameNameIsLeftAloneAndTheTenantIsTold() {
    compute
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(COMPUTE_NS)
                .endMetadata()
                .build())
        .create();
    compute
        .resource(
            new PodBuilder(pod("p", null))
                .editMetadata()
                .withNamespace(COMPUTE_NS)
                .endMetadata()
                .build())
        .create();
    tenant.resource(pod("p", NODE)).create();
    start();

    await()
        .until(
            () ->
                tenant.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(e -> "NameConflict".equals(e.getReason())));
    assertThat(computePod("p").getMetadata().getLabels()).doesNotContainKey("strata.dev/tenant");
    assertThat(accepted("p")).isFalse();
  }

  @Test
  void aCrashBetweenComputeCreateAndTenantStatusIsPickedUpWithoutADuplicate() {
    Pod source = tenant.resource(pod("p", NODE)).create();
    // What a forwarder that died right after its create left behind: the compute pod only.
    Pod left = new PodTranslator(config).toCompute(source);
    compute
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(COMPUTE_NS)
                .endMetadata()
                .build())
        .create();
    String uid = compute.resource(left).create().getMetadata().getUid();

    start();

    await().until(() -> accepted("p"));
    assertThat(computePod("p").getMetadata().getUid()).isEqualTo(uid);
    assertThat(compute.pods().inAnyNamespace().list().getItems()).hasSize(1);
  }
}
