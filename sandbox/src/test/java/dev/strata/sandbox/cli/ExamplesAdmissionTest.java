package dev.strata.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.admission.AdmissionResult;
import dev.strata.admission.CrdAdmission;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.validation.MPIJobValidator;
import dev.strata.api.validation.TFJobValidator;
import dev.strata.sandbox.sim.SimulatedRun;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample jobs under examples/ are admitted unchanged by the committed CRDs (no violation, no
 * field pruned) and pass the controllers' own validation; together they are the demo's mix.
 */
class ExamplesAdmissionTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final KubernetesSerialization KUBE = new KubernetesSerialization();
  static final Map<String, CrdAdmission> CRD_BY_KIND =
      Map.of(
          "MPIJob",
              CrdAdmission.load(RepositoryPaths.root().resolve("crds/kubeflow.org_mpijobs.yaml")),
          "TFJob",
              CrdAdmission.load(RepositoryPaths.root().resolve("crds/kubeflow.org_tfjobs.yaml")));

  static List<Path> examples() throws IOException {
    // With the ones in sub-folders (examples/tiers), which the demo does not run.
    try (Stream<Path> files = Files.walk(RepositoryPaths.examples())) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void theExamplesHoldGpuMpiJobsAndATfJobOfDifferentSizes() throws IOException {
    List<JsonNode> jobs = examples().stream().map(ExamplesAdmissionTest::read).toList();
    assertThat(jobs).extracting(j -> j.path("kind").asText()).contains("MPIJob", "TFJob");
    assertThat(jobs.stream().map(ExamplesAdmissionTest::gpusPerPod).distinct().count())
        .isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isAdmittedUnchangedAndValid(Path example) throws IOException {
    JsonNode object = read(example);
    CrdAdmission crd = CRD_BY_KIND.get(object.path("kind").asText());
    assertThat(crd).as("kind of " + example).isNotNull();
    String apiVersion = object.path("apiVersion").asText();

    AdmissionResult result =
        crd.admit(apiVersion.substring(crd.group().length() + 1), object, null);

    assertThat(result.violations()).as(result.invalidMessage()).isEmpty();
    assertThat(result.prunedFields()).as("fields the schema does not know").isEmpty();
    String text = Files.readString(example);
    if ("MPIJob".equals(object.path("kind").asText())) {
      assertThat(MPIJobValidator.validate(KUBE.unmarshal(text, MPIJob.class))).isEmpty();
    } else {
      assertThat(TFJobValidator.validate(KUBE.unmarshal(text, TFJob.class))).isEmpty();
    }
    assertThat(text)
        .as("every example says how long it runs in the sandbox")
        .contains(SimulatedRun.RUN_SECONDS);
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The largest GPU count one pod of the job asks for. */
  private static int gpusPerPod(JsonNode job) {
    return job.findValues("nvidia.com/gpu").stream().mapToInt(JsonNode::asInt).max().orElse(0);
  }
}
