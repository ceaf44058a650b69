package dev.strata.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.strata.api.compat.UpstreamCorpus.Document;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIReplicaSpec;
import dev.strata.api.testing.ProjectPaths;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFReplicaSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every upstream MPIJob and TFJob example survives a trip through our model unchanged: what a user
 * applies is what the controller reads and what it writes back.
 */
class UpstreamRoundTripTest {
  /** One instance, as the operators share one: its mapper is costly to set up. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Document> jobExamples() {
    return UpstreamCorpus.jobs();
  }

  @Test
  void theCorpusHoldsJobsOfBothKinds() {
    Set<String> kinds =
        UpstreamCorpus.jobs().map(Document::kind).collect(Collectors.toUnmodifiableSet());
    assertThat(kinds).containsExactlyInAnyOrder(MPIJob.KIND, TFJob.KIND);
  }

  /**
   * Discovery picks jobs by kind and apiVersion, so a job written for another version, or a kind we
   * do not serve, would be skipped silently; this makes it visible instead.
   */
  @Test
  void everyOtherDocumentIsACrdOrAClaim() {
    List<String> unexpected =
        UpstreamCorpus.documents().stream()
            .filter(d -> !d.isJob())
            .filter(
                d ->
                    !Set.of("CustomResourceDefinition", "PersistentVolumeClaim").contains(d.kind()))
            .map(d -> d.name() + " (" + d.apiVersion() + " " + d.kind() + ")")
            .toList();
    assertThat(unexpected)
        .withFailMessage(
            Listing.of("upstream documents that are neither a job we serve nor data", unexpected))
        .isEmpty();
  }

  /** The premise of {@link #isPrunedNull}: the API server prunes nulls of non-nullable fields. */
  @ParameterizedTest
  @ValueSource(strings = {"kubeflow.org_mpijobs.yaml", "kubeflow.org_tfjobs.yaml"})
  void ourCrdsDeclareNothingNullable(String crdFile) throws IOException {
    assertThat(Files.readString(ProjectPaths.committedCrd(crdFile)))
        .doesNotContain("nullable: true");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobExamples")
  void roundTripKeepsEveryField(Document example) throws IOException {
    Object job = parse(example);
    JsonNode roundTrip = JSON.readTree(SERIALIZATION.asJson(job));

    ModelTypes types = new ModelTypes(example.jobClass());
    List<String> differences =
        JsonTreeDiff.diff(
            example.tree(),
            roundTrip,
            (pointer, original, written) ->
                isKubernetesNormalisation(types, pointer, original, written));

    assertThat(differences)
        .withFailMessage(
            Listing.of(
                example.name() + ": JSON pointers that differ after the round trip", differences))
        .isEmpty();
  }

  /**
   * A field that survives only in a fabric8 {@code additionalProperties} map would round-trip, but
   * the controller could not read it; every member of the example must be a declared property.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jobExamples")
  void everyFieldIsBoundToATypedProperty(Document example) {
    List<String> undeclared = new ModelTypes(example.jobClass()).undeclaredMembers(example.tree());
    assertThat(undeclared)
        .withFailMessage(
            Listing.of(
                example.name() + ": members our model (or fabric8's pod model) does not declare",
                undeclared))
        .isEmpty();
  }

  @Test
  void quantityAllowanceAppliesOnlyToQuantityFields() {
    ModelTypes types = new ModelTypes(TFJob.class);
    String container = "/spec/tfReplicaSpecs/Worker/template/spec/containers/0";
    IntNode one = IntNode.valueOf(1);

    assertThat(
            isKubernetesNormalisation(types, container + "/resources/limits/cpu", one, text("1")))
        .isTrue();
    assertThat(
            isKubernetesNormalisation(types, container + "/resources/limits/cpu", one, text("2")))
        .isFalse();
    assertThat(
            isKubernetesNormalisation(
                types, "/spec/tfReplicaSpecs/Worker/replicas", one, text("1")))
        .isFalse();
    assertThat(
            isKubernetesNormalisation(types, container + "/ports/0/containerPort", one, text("1")))
        .isFalse();
  }

  private static JsonNode text(String value) {
    return TextNode.valueOf(value);
  }

  @Test
  void piExampleIsReadIntoTheTypedModel() throws IOException {
    MPIJob job = parseFile(upstream("mpi-operator", "pi-pi.yaml"), MPIJob.class);

    assertThat(job.getMetadata().getName()).isEqualTo("pi");
    assertThat(job.getSpec().getSlotsPerWorker()).isEqualTo(1);
    assertThat(job.getSpec().getSshAuthMountPath()).isEqualTo("/home/mpiuser/.ssh");
    assertThat(job.getSpec().getRunPolicy().getCleanPodPolicy()).isEqualTo("Running");
    assertThat(job.getSpec().getRunPolicy().getTtlSecondsAfterFinished()).isEqualTo(60);

    MPIReplicaSpec launcher = job.getSpec().getMpiReplicaSpecs().get("Launcher");
    MPIReplicaSpec worker = job.getSpec().getMpiReplicaSpecs().get("Worker");
    assertThat(launcher.getReplicas()).isEqualTo(1);
    assertThat(worker.getReplicas()).isEqualTo(2);

    Container launcherContainer = launcher.getTemplate().getSpec().getContainers().get(0);
    assertThat(launcherContainer.getImage()).isEqualTo("mpioperator/mpi-pi:openmpi");
    assertThat(launcherContainer.getCommand()).containsExactly("mpirun");
    assertThat(launcherContainer.getArgs()).containsExactly("-n", "2", "/home/mpiuser/pi");
    assertThat(launcherContainer.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(launcherContainer.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(worker.getTemplate().getSpec().getContainers().get(0).getCommand())
        .containsExactly("/usr/sbin/sshd");

    // The typed-field check walks the same path through the generic CustomResource<Spec, Status>.
    assertThat(
            new ModelTypes(MPIJob.class)
                .typeAt("/spec/mpiReplicaSpecs/Launcher/template/spec/containers/0/image")
                .getRawClass())
        .isEqualTo(String.class);
  }

  @Test
  void simpleTfJobIsReadIntoTheTypedModel() throws IOException {
    TFJob job = parseFile(upstream("training-operator", "simple.yaml"), TFJob.class);

    assertThat(job.getMetadata().getNamespace()).isEqualTo("kubeflow");
    TFReplicaSpec worker = job.getSpec().getTfReplicaSpecs().get("Worker");
    assertThat(worker.getReplicas()).isEqualTo(2);
    assertThat(worker.getRestartPolicy()).isEqualTo("OnFailure");
    Container container = worker.getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("tensorflow");
    assertThat(container.getImage()).isEqualTo("kubeflow/tf-mnist-with-summaries:latest");
  }

  /**
   * The normalisations accepted, each because Kubernetes does the same to a custom resource, so a
   * user reading the object back from the API server would see it too.
   */
  private static boolean isKubernetesNormalisation(
      ModelTypes types, String pointer, JsonNode original, JsonNode written) {
    return isPrunedNull(original, written)
        || isQuantityWrittenAsString(types, pointer, original, written);
  }

  /**
   * An explicit null ({@code command:} with nothing after it) that comes back absent. The API
   * server prunes null values of fields whose schema is not {@code nullable} before it stores a
   * custom resource; no field in our CRDs (or upstream's) is nullable, which {@link
   * #ourCrdsDeclareNothingNullable} keeps true.
   */
  private static boolean isPrunedNull(JsonNode original, JsonNode written) {
    return original.isNull() && written.isMissingNode();
  }

  /**
   * A resource.Quantity is always written back as a string in canonical form, so {@code cpu: 1} (a
   * YAML integer) reads back from the API server as {@code "1"}. This applies only where our model
   * binds a fabric8 Quantity and the string spells the same number. Int-or-string fields
   * (IntOrString) need no such allowance: Kubernetes and fabric8 both keep an integer an integer
   * and a string a string, so a change there is a real difference.
   */
  private static boolean isQuantityWrittenAsString(
      ModelTypes types, String pointer, JsonNode original, JsonNode written) {
    return original.isNumber()
        && written.isTextual()
        && written.textValue().equals(original.asText())
        && ModelTypes.isQuantity(types.typeAt(pointer));
  }

  /** Job files hold one document; a file of several is rejected so none is skipped. */
  private static Object parse(Document example) throws IOException {
    assertThat(example.documentsInFile())
        .as("%s: a job example must be the only document in its file", example.name())
        .isEqualTo(1);
    return parseFile(example.file(), example.jobClass());
  }

  private static <T> T parseFile(Path file, Class<T> type) throws IOException {
    T job = SERIALIZATION.unmarshal(Files.readString(file), type);
    assertThat(job).as("parsed %s", file).isInstanceOf(type);
    return job;
  }

  private static Path upstream(String folder, String fileName) {
    return ProjectPaths.upstreamCompat().resolve(folder).resolve(fileName);
  }
}
