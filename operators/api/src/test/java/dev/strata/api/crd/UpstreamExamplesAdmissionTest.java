package dev.strata.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.admission.AdmissionResult;
import dev.strata.admission.CrdAdmission;
import dev.strata.api.testing.ProjectPaths;
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
 * Every upstream Kubeflow example a user could kubectl apply is admitted unchanged by our committed
 * CRDs: no violations, and no field pruned as unknown.
 */
class UpstreamExamplesAdmissionTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Map<String, CrdAdmission> CRD_BY_KIND =
      Map.of(
          "MPIJob", CrdAdmission.load(ProjectPaths.committedCrd("kubeflow.org_mpijobs.yaml")),
          "TFJob", CrdAdmission.load(ProjectPaths.committedCrd("kubeflow.org_tfjobs.yaml")));

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(ProjectPaths.upstreamCompat())) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          // The upstream CRDs are schemas, not jobs.
          .filter(f -> !f.getFileName().toString().startsWith("kubeflow.org_"))
          .filter(f -> CRD_BY_KIND.containsKey(kindOf(f)))
          .sorted()
          .toList();
    }
  }

  static String kindOf(Path file) {
    try {
      return YAML.readTree(file.toFile()).path("kind").asText();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  @Test
  void theCorpusHoldsBothKinds() throws IOException {
    assertThat(examples().stream().map(UpstreamExamplesAdmissionTest::kindOf))
        .contains("MPIJob", "TFJob");
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(9);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isAdmittedUnchanged(Path example) throws IOException {
    JsonNode object = YAML.readTree(example.toFile());
    CrdAdmission crd = CRD_BY_KIND.get(object.path("kind").asText());
    String apiVersion = object.path("apiVersion").asText();
    assertThat(apiVersion).startsWith(crd.group() + "/");

    AdmissionResult result =
        crd.admit(apiVersion.substring(crd.group().length() + 1), object, null);

    assertThat(result.violations()).as(result.invalidMessage()).isEmpty();
    assertThat(result.prunedFields()).as("fields our schema does not know").isEmpty();
  }
}
