package dev.strata.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.admission.AdmissionResult;
import dev.strata.admission.CrdAdmission;
import dev.strata.admission.FieldViolation;
import dev.strata.api.testing.Examples;
import dev.strata.api.testing.ProjectPaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same invalid specs the validator refuses are refused at admission by the committed CRDs
 * (schema and CEL rules, as a real API server would), with a message naming the field that the
 * file's {@code # admission:} header gives.
 */
class InvalidSpecsAdmissionTest {
  private static final Map<String, CrdAdmission> CRDS =
      Map.of(
          "MPIJob", CrdAdmission.load(ProjectPaths.committedCrd("kubeflow.org_mpijobs.yaml")),
          "TFJob", CrdAdmission.load(ProjectPaths.committedCrd("kubeflow.org_tfjobs.yaml")));

  static Stream<Path> invalidSpecs() {
    return Examples.invalidSpecs().stream();
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void apiServerRefusesTheSpecNamingTheField(Path file) {
    JsonNode job = Examples.tree(file);
    String version = job.get("apiVersion").asText().split("/")[1];

    AdmissionResult result = CRDS.get(job.get("kind").asText()).admit(version, job);

    assertThat(result.allowed()).as("%s admitted", file.getFileName()).isFalse();
    assertThat(result.violations())
        .as("violations of %s", file.getFileName())
        .map(FieldViolation::toString)
        .anySatisfy(v -> assertThat(v).contains(Examples.header(file, "admission")));
    assertThat(result.invalidMessage())
        .startsWith(job.get("kind").asText() + ".kubeflow.org \"" + Examples.header(file, "name"));
  }
}
