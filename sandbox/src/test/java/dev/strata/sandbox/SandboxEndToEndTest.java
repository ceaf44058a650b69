package dev.strata.sandbox;

import static dev.strata.sandbox.apiserver.KubeflowResources.MPIJOBS;
import static dev.strata.sandbox.apiserver.KubeflowResources.TFJOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.sandbox.apiserver.Kubectl;
import dev.strata.sandbox.apiserver.TestPaths;
import dev.strata.sandbox.sim.NodeInventorySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform as {@code bin/strata-sandbox up} runs it (the default parts: sandbox API
 * servers, the standalone scheduler, the virtual node with pod forwarding, the node simulator),
 * driven with the real kubectl binary through the kubeconfig the sandbox writes. One sandbox with
 * two tenants serves every test; jobs of a test run at once.
 */
@Timeout(300)
class SandboxEndToEndTest {
  private static final String TEAM_A = "team-a";
  private static final String TEAM_B = "team-b";
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);

  @TempDir static Path dir;
  private static Sandbox sandbox;
  private static Kubectl kubectl;
  private static SharedIndexInformer<Pod> computePodRecorder;

  /** Every pod the compute cluster ever held, by namespace/name, as first seen. */
  private static final Map<String, Pod> computePodsSeen = new ConcurrentHashMap<>();

  private record JobRef(String tenant, String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + tenant + "/" + namespace + "/" + name;
    }
  }

  @BeforeAll
  static void startSandbox() throws IOException {
    assumeTrue(Kubectl.find() != null, "kubectl is not on PATH; the end-to-end tests drive it");
    sandbox =
        Sandbox.start(
            new SandboxOptions(List.of(TEAM_A, TEAM_B), NodeInventorySpec.defaults(), 0, false),
            SandboxParts.defaults());
    Path kubeconfig = dir.resolve("kubeconfig");
    sandbox.writeKubeconfig(kubeconfig);
    kubectl = new Kubectl(kubeconfig, Files.createDirectories(dir.resolve("home")));
    computePodRecorder =
        sandbox
            .compute()
            .client()
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    computePodsSeen.putIfAbsent(key(pod), pod);
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod pod) {
                    computePodsSeen.putIfAbsent(key(pod), pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                });
  }

  @AfterAll
  static void stopSandbox() {
    if (computePodRecorder != null) {
      computePodRecorder.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void everyExampleAndEveryUpstreamExampleReachesSucceededWithItsPodsInTheTenantsNamespace()
      throws IOException {
    List<JobRef> jobs = new ArrayList<>();
    try (Stream<Path> files = Files.list(TestPaths.root().resolve("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        jobs.addAll(apply(TEAM_A, "default", file));
      }
    }
    int index = 0;
    for (Path file : upstreamJobFiles()) {
      GenericKubernetesResource job = read(file).get(0);
      String fixed = job.getMetadata().getNamespace();
      // Every upstream example in a namespace of its own (three are called "pi"), unless it names
      // one itself; the claims it mounts go with it.
      String namespace = fixed != null ? fixed : "upstream-" + index++;
      createNamespace(TEAM_A, namespace);
      for (Path claim : claimFilesMountedBy(file)) {
        run(TEAM_A, "apply", "-n", namespace, "-f", claim.toString());
      }
      jobs.addAll(apply(TEAM_A, namespace, file));
    }
    assertThat(jobs).hasSizeGreaterThanOrEqualTo(3 + 7);

    awaitSucceeded(jobs);

    // kubectl logs: the sandbox API server asks the virtual node's kubelet endpoint, which reads
    // the compute pod's log, which the simulated compute node writes from the pod itself.
    String launcher =
        run(
                TEAM_A,
                "get",
                "pods",
                "-n",
                "default",
                "-l",
                "training.kubeflow.org/job-name=pi,training.kubeflow.org/job-role=launcher",
                "-o",
                "jsonpath={.items[0].metadata.name}")
            .out()
            .trim();
    assertThat(run(TEAM_A, "logs", "-n", "default", launcher).out())
        .contains("container mpi-launcher was simulated", "command: mpirun", "exited with code 0");

    for (JobRef job : jobs) {
      String computeNamespace = StrataVirtualNodes.computeNamespace(job.tenant(), job.namespace());
      assertThat(computePodsOf(job))
          .as("compute pods of %s", job)
          .isNotEmpty()
          .allSatisfy(
              p -> {
                assertThat(p.getMetadata().getNamespace()).isEqualTo(computeNamespace);
                assertThat(p.getMetadata().getLabels())
                    .containsEntry("strata.dev/tenant", job.tenant())
                    .containsEntry("strata.dev/source-namespace", job.namespace());
                assertThat(p.getSpec().getSchedulerName()).isEqualTo("strata-scheduler");
              });
    }
  }

  @Test
  void withoutItsClaimAJobStaysPendingNamingTheClaimAndRunsOnceTheClaimExists() {
    String namespace = "no-claim";
    createNamespace(TEAM_A, namespace);
    Path job = upstream("training-operator/distribution_strategy-multi_worker_tfjob.yaml");
    List<JobRef> jobs = apply(TEAM_A, namespace, job);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> pods = tenantClient(TEAM_A).pods().inNamespace(namespace).list().getItems();
              assertThat(pods).hasSize(2);
              assertThat(pods)
                  .allSatisfy(
                      p -> {
                        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
                        assertThat(podScheduled(p).getMessage())
                            .contains("persistentvolumeclaim \"strategy-volume\" not found");
                      });
            });
    Kubectl.Result described =
        run(TEAM_A, "describe", "pod", "-n", namespace, "multi-worker-worker-0");
    assertThat(described.out()).contains("FailedScheduling", "\"strategy-volume\" not found");
    assertThat(jobState(jobs.get(0))).isNotEqualTo("Succeeded");

    run(
        TEAM_A,
        "apply",
        "-n",
        namespace,
        "-f",
        upstream("training-operator/distribution_strategy-pvc.yaml").toString());
    awaitSucceeded(jobs);
  }

  @Test
  void twoTenantsAtOnceEachSeeOnlyTheirOwnJobsAndPodsInSeparateComputeNamespaces() {
    String namespace = "shared-name";
    createNamespace(TEAM_A, namespace);
    createNamespace(TEAM_B, namespace);
    Path example = TestPaths.root().resolve("examples/mpijob-pi.yaml");
    List<JobRef> jobs = new ArrayList<>();
    jobs.addAll(apply(TEAM_A, namespace, example));
    jobs.addAll(apply(TEAM_B, namespace, example));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(jobs).allSatisfy(j -> assertThat(computePodsOf(j)).hasSize(3)));
    // Separate clusters: team-b's sees its one job and its pods, none of team-a's many.
    assertThat(run(TEAM_B, "get", "mpijobs,tfjobs", "-A", "-o", "name").out().lines())
        .containsExactly("mpijob.kubeflow.org/pi");
    assertThat(tenantClient(TEAM_B).pods().inAnyNamespace().list().getItems())
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo(namespace));
    assertThat(run(TEAM_A, "get", "pods", "-n", namespace, "-o", "name").out().lines())
        .containsExactlyInAnyOrder(
            tenantClient(TEAM_A).pods().inNamespace(namespace).list().getItems().stream()
                .map(p -> "pod/" + p.getMetadata().getName())
                .toArray(String[]::new));

    String computeA = StrataVirtualNodes.computeNamespace(TEAM_A, namespace);
    String computeB = StrataVirtualNodes.computeNamespace(TEAM_B, namespace);
    assertThat(computeA).isNotEqualTo(computeB);
    assertThat(computePodsOf(jobs.get(0)))
        .allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo(computeA));
    assertThat(computePodsOf(jobs.get(1)))
        .allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo(computeB));
    // Gangs of different tenants never merge: each job's gang name carries its tenant.
    assertThat(gangNames(jobs.get(0))).containsExactly(TEAM_A + "." + namespace + ".pi");
    assertThat(gangNames(jobs.get(1))).containsExactly(TEAM_B + "." + namespace + ".pi");

    awaitSucceeded(jobs);
  }

  @Test
  void invalidYamlIsRefusedWithAClearMessageAndTheSandboxKeepsRunning() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: [oops\n");
    Kubectl.Result unparsable =
        kubectl.run("--context", context(TEAM_A), "apply", "-f", broken.toString());
    assertThat(unparsable.exitCode()).isEqualTo(1);
    assertThat(unparsable.err()).contains("error parsing", "broken.yaml");

    Path twoLaunchers =
        Files.writeString(
            dir.resolve("two-launchers.yaml"),
            Files.readString(TestPaths.root().resolve("examples/mpijob-pi.yaml"))
                .replace("name: pi", "name: two-launchers")
                .replace("    Launcher:\n      replicas: 1", "    Launcher:\n      replicas: 2"));
    Kubectl.Result invalid =
        kubectl.run("--context", context(TEAM_A), "apply", "-f", twoLaunchers.toString());
    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.err())
        .contains("The MPIJob \"two-launchers\" is invalid")
        .contains("[Launcher].replicas: must be 1");

    // Still up: the refused job is not there, and a valid one runs to the end.
    assertThat(kubectl.run("--context", context(TEAM_A), "get", "mpijob", "two-launchers").err())
        .contains("not found");
    String namespace = "after-invalid";
    createNamespace(TEAM_A, namespace);
    awaitSucceeded(apply(TEAM_A, namespace, TestPaths.root().resolve("examples/tfjob-mnist.yaml")));
  }

  @Test
  void deletingARunningJobRemovesItsPodsFromBothClusters() {
    String namespace = "to-delete";
    createNamespace(TEAM_A, namespace);
    // Its workers run sshd: they would run until deleted.
    JobRef job =
        apply(TEAM_A, namespace, TestPaths.root().resolve("examples/mpijob-resnet-v100.yaml"))
            .get(0);
    String computeNamespace = StrataVirtualNodes.computeNamespace(TEAM_A, namespace);
    KubernetesClient compute = sandbox.compute().client();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(compute.pods().inNamespace(computeNamespace).list().getItems())
                    .filteredOn(p -> "Running".equals(p.getStatus().getPhase()))
                    .hasSize(3));
    // Running reaches the job through the virtual node's status write and the controller.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(jobState(job)).isEqualTo("Running"));

    Kubectl.Result deleted = run(TEAM_A, "delete", "mpijob", "-n", namespace, job.name());
    assertThat(deleted.out()).contains("deleted");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(tenantClient(TEAM_A).pods().inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(compute.pods().inNamespace(computeNamespace).list().getItems()).isEmpty();
            });
    assertThat(run(TEAM_A, "get", "pods", "-n", namespace).all()).contains("No resources found");
  }

  // ---- helpers ----

  private static List<JobRef> apply(String tenant, String namespace, Path file) {
    Kubectl.Result applied = run(tenant, "apply", "-n", namespace, "-f", file.toString());
    List<JobRef> jobs = new ArrayList<>();
    for (String line : applied.out().split("\n")) {
      // "mpijob.kubeflow.org/pi created"
      String ref = line.split(" ")[0];
      String name = ref.substring(ref.indexOf('/') + 1);
      if (ref.startsWith("mpijob.")) {
        jobs.add(new JobRef(tenant, "MPIJob", namespace, name));
      } else if (ref.startsWith("tfjob.")) {
        jobs.add(new JobRef(tenant, "TFJob", namespace, name));
      }
    }
    assertThat(jobs).as("jobs applied from %s: %s", file, applied.out()).isNotEmpty();
    return jobs;
  }

  private static void createNamespace(String tenant, String namespace) {
    if (tenantClient(tenant).namespaces().withName(namespace).get() == null) {
      run(tenant, "create", "namespace", namespace);
    }
  }

  private static Kubectl.Result run(String tenant, String... args) {
    List<String> all = new ArrayList<>(List.of("--context", context(tenant)));
    all.addAll(List.of(args));
    Kubectl.Result result = kubectl.run(all.toArray(String[]::new));
    assertThat(result.exitCode()).as("kubectl %s: %s", all, result.all()).isZero();
    return result;
  }

  private static String context(String tenant) {
    return Sandbox.tenantContext(tenant);
  }

  private static KubernetesClient tenantClient(String tenant) {
    return sandbox.tenants().get(tenant).client();
  }

  private static void awaitSucceeded(List<JobRef> jobs) {
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Map<String, String> states = new TreeMap<>();
              jobs.forEach(j -> states.put(j.toString(), jobState(j)));
              assertThat(states)
                  .allSatisfy((job, state) -> assertThat(state).isEqualTo("Succeeded"));
            });
  }

  /** The type of the job's latest True condition, {@code Submitted} before any. */
  private static String jobState(JobRef job) {
    GenericKubernetesResource stored =
        tenantClient(job.tenant())
            .genericKubernetesResources(job.kind().equals("MPIJob") ? MPIJOBS : TFJOBS)
            .inNamespace(job.namespace())
            .withName(job.name())
            .get();
    if (stored == null) {
      return "Gone";
    }
    Object conditions =
        stored.getAdditionalProperties().get("status") instanceof Map<?, ?> status
            ? status.get("conditions")
            : null;
    String state = "Submitted";
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> condition && "True".equals(condition.get("status"))) {
          state = String.valueOf(condition.get("type"));
        }
      }
    }
    return state;
  }

  /** The compute pods forwarded for the job's tenant pods (named {@code <job>-...}). */
  private static List<Pod> computePodsOf(JobRef job) {
    return computePodsSeen.values().stream()
        .filter(p -> job.tenant().equals(label(p, "strata.dev/tenant")))
        .filter(p -> job.namespace().equals(label(p, "strata.dev/source-namespace")))
        .filter(
            p -> String.valueOf(label(p, "strata.dev/source-name")).startsWith(job.name() + "-"))
        .toList();
  }

  private static Set<String> gangNames(JobRef job) {
    return computePodsOf(job).stream()
        .map(p -> label(p, "strata.dev/gang-name"))
        .collect(Collectors.toSet());
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static PodCondition podScheduled(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no PodScheduled condition on " + key(pod)));
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static Path upstream(String file) {
    return TestPaths.upstream().resolve(file);
  }

  /** The upstream files that hold a job (CRDs and claims excepted). */
  private static List<Path> upstreamJobFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path file : upstreamYaml()) {
      if (read(file).stream().anyMatch(o -> Set.of("MPIJob", "TFJob").contains(o.getKind()))) {
        files.add(file);
      }
    }
    return files;
  }

  /** The upstream claim files whose claims the job in {@code jobFile} mounts. */
  private static List<Path> claimFilesMountedBy(Path jobFile) throws IOException {
    String job = Files.readString(jobFile);
    Map<String, Path> claims = new LinkedHashMap<>();
    for (Path file : upstreamYaml()) {
      for (GenericKubernetesResource o : read(file)) {
        if ("PersistentVolumeClaim".equals(o.getKind())) {
          claims.put(o.getMetadata().getName(), file);
        }
      }
    }
    return claims.entrySet().stream()
        .filter(
            e -> job.matches("(?s).*claimName:\\s*\"?" + Pattern.quote(e.getKey()) + "\"?\\s.*"))
        .map(Map.Entry::getValue)
        .distinct()
        .toList();
  }

  private static List<Path> upstreamYaml() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String project : List.of("mpi-operator", "training-operator")) {
      try (Stream<Path> list = Files.list(TestPaths.upstream().resolve(project))) {
        list.filter(f -> f.toString().endsWith(".yaml"))
            .filter(f -> !f.getFileName().toString().startsWith("kubeflow.org_"))
            .sorted()
            .forEach(files::add);
      }
    }
    return files;
  }

  private static List<GenericKubernetesResource> read(Path file) throws IOException {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(document, GenericKubernetesResource.class));
      }
    }
    return objects;
  }
}
