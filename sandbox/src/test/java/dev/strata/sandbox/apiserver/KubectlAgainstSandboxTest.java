package dev.strata.sandbox.apiserver;

import static dev.strata.sandbox.apiserver.KubeflowResources.MPIJOBS;
import static dev.strata.sandbox.apiserver.KubeflowResources.TFJOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real kubectl binary against the sandbox API server, with no extra flags. */
@Timeout(120)
class KubectlAgainstSandboxTest {

  @TempDir static Path dir;
  private static SandboxApiServer server;
  private static KubernetesClient client;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Kubectl.find() != null, "kubectl is not on PATH; these tests need the real binary");
    server = SandboxApiServer.start(0);
    client = server.newClient();
    Path home = Files.createDirectories(dir.resolve("home"));
    kubectl = new Kubectl(server.writeKubeconfig(dir.resolve("kubeconfig")), home);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Stream<Path> upstreamExamples() throws IOException {
    List<Path> examples = new java.util.ArrayList<>();
    for (String project : List.of("mpi-operator", "training-operator")) {
      try (Stream<Path> files = Files.list(TestPaths.upstream().resolve(project))) {
        files
            .filter(f -> f.toString().endsWith(".yaml"))
            .filter(f -> !f.getFileName().toString().startsWith("kubeflow.org_"))
            .sorted()
            .forEach(examples::add);
      }
    }
    return examples.stream();
  }

  @ParameterizedTest
  @MethodSource("upstreamExamples")
  void everyUpstreamExampleAppliesGetsDescribesAndDeletes(Path example) throws IOException {
    String yaml = Files.readString(example);
    String namespace = yaml.contains("namespace: kubeflow") ? "kubeflow" : "default";
    if (client.namespaces().withName(namespace).get() == null) {
      assertThat(kubectl.run("create", "namespace", namespace).exitCode()).isZero();
    }

    Kubectl.Result applied = kubectl.run("apply", "-f", example.toString());
    assertThat(applied.exitCode()).as(applied.all()).isZero();
    assertThat(applied.out()).contains("created");

    for (String line : applied.out().split("\n")) {
      // e.g. "mpijob.kubeflow.org/pi created"
      String ref = line.split(" ")[0];
      Kubectl.Result yamlOut = kubectl.run("get", ref, "-n", namespace, "-o", "yaml");
      assertThat(yamlOut.exitCode()).as(yamlOut.all()).isZero();
      assertThat(yamlOut.out()).contains("uid:", "resourceVersion:");
      Kubectl.Result described = kubectl.run("describe", ref, "-n", namespace);
      assertThat(described.exitCode()).as(described.all()).isZero();
      assertThat(described.out()).contains("Name:", ref.substring(ref.indexOf('/') + 1));
      if (ref.startsWith("mpijob")) {
        GenericKubernetesResource job =
            client
                .genericKubernetesResources(MPIJOBS)
                .inNamespace(namespace)
                .withName(ref.substring(ref.indexOf('/') + 1))
                .get();
        // Schema defaults the example does not spell out were applied on admission.
        assertThat(job.get("spec", "mpiImplementation").toString()).isNotEmpty();
        assertThat(job.get("spec", "launcherCreationPolicy").toString()).isNotEmpty();
        assertThat(yamlOut.out()).contains("launcherCreationPolicy:");
      }
      if (ref.startsWith("tfjob")) {
        GenericKubernetesResource job =
            client
                .genericKubernetesResources(TFJOBS)
                .inNamespace(namespace)
                .withName(ref.substring(ref.indexOf('/') + 1))
                .get();
        assertThat(job).isNotNull();
      }
    }

    Kubectl.Result listed = kubectl.run("get", "mpijobs,tfjobs,pods,pvc", "-n", namespace);
    assertThat(listed.exitCode()).as(listed.all()).isZero();

    Kubectl.Result deleted = kubectl.run("delete", "-f", example.toString());
    assertThat(deleted.exitCode()).as(deleted.all()).isZero();
    assertThat(deleted.out()).contains("deleted");
    for (String line : applied.out().split("\n")) {
      Kubectl.Result gone = kubectl.run("get", line.split(" ")[0], "-n", namespace);
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.err()).contains("not found");
    }
  }

  @Test
  void getShowsTheCrdPrinterColumns() {
    apply("columns", "OpenMPI", 1);
    Kubectl.Result listed = kubectl.run("get", "mpijobs");
    assertThat(listed.exitCode()).as(listed.all()).isZero();
    String header = listed.out().lines().findFirst().orElse("");
    assertThat(header).contains("NAME", "STATE", "WORKERS", "AGE").doesNotContain("IMPLEMENTATION");
    assertThat(listed.out()).containsPattern("columns\\s+3\\s+\\d+s");
    Kubectl.Result wide = kubectl.run("get", "mpijob", "columns", "-o", "wide");
    assertThat(wide.out()).contains("IMPLEMENTATION").contains("OpenMPI");
  }

  @Test
  void anInvalidMpiJobIsRefusedNamingTheField() {
    Kubectl.Result launchers = apply("two-launchers", "OpenMPI", 2);
    assertThat(launchers.exitCode()).isEqualTo(1);
    assertThat(launchers.err())
        .contains("The MPIJob \"two-launchers\" is invalid")
        .contains("spec.mpiReplicaSpecs");
    Kubectl.Result badEnum = apply("bad-enum", "LAM", 1);
    assertThat(badEnum.exitCode()).isEqualTo(1);
    assertThat(badEnum.err())
        .contains("spec.mpiImplementation: Unsupported value: \"LAM\"")
        .contains("\"OpenMPI\"");
    assertThat(kubectl.run("get", "mpijob", "two-launchers").exitCode()).isEqualTo(1);
  }

  @Test
  void anUnknownFieldIsRefusedAsKubectlValidatesStrictly() throws IOException {
    Path file = dir.resolve("unknown-field.yaml");
    Files.writeString(
        file,
        mpiJob("unknown-field", "OpenMPI", 1)
            .replace("  slotsPerWorker: 1\n", "  slotsPerWorker: 1\n  slotsPerWorkr: 2\n"));
    Kubectl.Result refused = kubectl.run("apply", "-f", file.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("unknown field \"spec.slotsPerWorkr\"");
  }

  @Test
  void applyingTwiceChangesNothing() {
    assertThat(apply("twice", "OpenMPI", 1).exitCode()).isZero();
    String version = resourceVersion("mpijob", "twice");
    Kubectl.Result again = apply("twice", "OpenMPI", 1);
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("mpijob.kubeflow.org/twice unchanged");
    assertThat(resourceVersion("mpijob", "twice")).isEqualTo(version);
  }

  @Test
  void aBuiltInKindAppliesTwiceAndThenChanges() throws IOException {
    Path file = dir.resolve("cm.yaml");
    Files.writeString(file, configMap("settings", List.of("alpha", "beta")));
    assertThat(kubectl.run("apply", "-f", file.toString()).out()).contains("created");
    assertThat(kubectl.run("apply", "-f", file.toString()).out()).contains("unchanged");
    Files.writeString(file, configMap("settings", List.of("alpha", "gamma")));
    Kubectl.Result changed = kubectl.run("apply", "-f", file.toString());
    assertThat(changed.out()).as(changed.all()).contains("configured");
    assertThat(client.configMaps().withName("settings").get().getData())
        .isEqualTo(Map.of("alpha", "v", "gamma", "v"));
  }

  @Test
  void namespacesAreCreatedRequiredAndDeletedWithTheirContents() throws IOException {
    Kubectl.Result missing = kubectl.run("create", "configmap", "c", "-n", "team-x");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("namespaces \"team-x\" not found");

    assertThat(kubectl.run("create", "namespace", "team-x").exitCode()).isZero();
    assertThat(kubectl.run("get", "namespace", "team-x").out()).contains("Active");
    assertThat(
            kubectl
                .run("create", "configmap", "c", "--from-literal=k=v", "-n", "team-x")
                .exitCode())
        .isZero();
    Path job = dir.resolve("ns-job.yaml");
    Files.writeString(job, mpiJob("in-team-x", "OpenMPI", 1));
    assertThat(kubectl.run("apply", "-n", "team-x", "-f", job.toString()).exitCode()).isZero();

    Kubectl.Result deleted = kubectl.run("delete", "namespace", "team-x");
    assertThat(deleted.exitCode()).as(deleted.all()).isZero();
    assertThat(client.namespaces().withName("team-x").get()).isNull();
    assertThat(client.configMaps().inNamespace("team-x").list().getItems()).isEmpty();
    assertThat(client.genericKubernetesResources(MPIJOBS).inNamespace("team-x").list().getItems())
        .isEmpty();
    assertThat(kubectl.run("get", "namespaces").out())
        .contains("default", "kube-system", "kube-public", "kube-node-lease")
        .doesNotContain("team-x");
  }

  @Test
  void aClaimIsBoundToAVolumeOfTheDefaultClass() throws IOException {
    Path file = dir.resolve("pvc.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: PersistentVolumeClaim",
            "metadata:",
            "  name: data",
            "spec:",
            "  accessModes: [ReadWriteOnce]",
            "  resources:",
            "    requests:",
            "      storage: 5Gi",
            ""));
    assertThat(kubectl.run("apply", "-f", file.toString()).exitCode()).isZero();
    PersistentVolumeClaim claim = client.persistentVolumeClaims().withName("data").get();
    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(claim.getSpec().getVolumeName()).startsWith("pvc-");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(kubectl.run("get", "pvc", "data").out())
        .containsPattern("data\\s+Bound\\s+pvc-\\S+\\s+5Gi\\s+RWO\\s+standard");
  }

  @Test
  void getWatchPrintsALaterChange() throws Exception {
    assertThat(apply("watched", "OpenMPI", 1).exitCode()).isZero();
    Process watch = kubectl.start("get", "mpijob", "watched", "-w");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.start();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.matches("watched\\s+3\\s+.*")));
      Kubectl.Result patched =
          kubectl.run(
              "patch",
              "mpijob",
              "watched",
              "--type=merge",
              "-p",
              "{\"spec\":{\"mpiReplicaSpecs\":{\"Worker\":{\"replicas\":5}}}}");
      assertThat(patched.exitCode()).as(patched.all()).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.matches("watched\\s+5\\s+.*")));
      // the list is printed once: the watch does not replay what was already listed
      assertThat(lines.stream().filter(l -> l.matches("watched\\s+3\\s+.*"))).hasSize(1);
    } finally {
      watch.destroy();
      reader.join(10_000);
    }
  }

  @Test
  void explainReadsTheCrdSchema() {
    Kubectl.Result explained = kubectl.run("explain", "mpijob.spec.runPolicy");
    assertThat(explained.exitCode()).as(explained.all()).isZero();
    assertThat(explained.out()).contains("KIND:       MPIJob", "cleanPodPolicy", "backoffLimit");
  }

  private Kubectl.Result apply(String name, String implementation, int launchers) {
    try {
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, mpiJob(name, implementation, launchers));
      return kubectl.run("apply", "-f", file.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String resourceVersion(String kind, String name) {
    return kubectl.run("get", kind, name, "-o", "jsonpath={.metadata.resourceVersion}").out();
  }

  private static String configMap(String name, List<String> keys) {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n");
    keys.forEach(k -> yaml.append("  ").append(k).append(": v\n"));
    return yaml.toString();
  }

  private static String mpiJob(String name, String implementation, int launchers) {
    return String.join(
        "\n",
        "apiVersion: kubeflow.org/v2beta1",
        "kind: MPIJob",
        "metadata:",
        "  name: " + name,
        "spec:",
        "  mpiImplementation: " + implementation,
        "  slotsPerWorker: 1",
        "  mpiReplicaSpecs:",
        "    Launcher:",
        "      replicas: " + launchers,
        "      template:",
        "        spec:",
        "          containers:",
        "          - name: launcher",
        "            image: mpioperator/mpi-pi:openmpi",
        "    Worker:",
        "      replicas: 3",
        "      template:",
        "        spec:",
        "          containers:",
        "          - name: worker",
        "            image: mpioperator/mpi-pi:openmpi",
        "");
  }
}
