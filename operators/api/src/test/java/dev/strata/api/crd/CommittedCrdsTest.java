package dev.strata.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRDs under crds/ are what the model generates (printer columns put in kubectl's order, see
 * {@link PrinterColumnOrder}). When the model changes, regenerate them with the command in {@link
 * #REGENERATE} and commit the result.
 */
class CommittedCrdsTest {
  static final String REGENERATE =
      "./mvnw -pl operators/api -am test -Dtest=CommittedCrdsTest -Dstrata.updateCrds=true"
          + " -Dsurefire.failIfNoSpecifiedTests=false";

  @ParameterizedTest
  @CsvSource({
    "mpijobs.kubeflow.org-v1.yml, kubeflow.org_mpijobs.yaml",
    "tfjobs.kubeflow.org-v1.yml, kubeflow.org_tfjobs.yaml"
  })
  void committedCrdMatchesTheModel(String generatedName, String committedName) throws IOException {
    Path generated = ProjectPaths.generatedCrd(generatedName);
    Path committed = ProjectPaths.root().resolve("crds").resolve(committedName);
    String expected = PrinterColumnOrder.apply(Files.readString(generated));
    if (Boolean.getBoolean("strata.updateCrds")) {
      Files.writeString(committed, expected);
    }
    assertThat(committed).as("crds/%s is missing; run: %s", committedName, REGENERATE).exists();
    assertThat(Files.readString(committed))
        .as("crds/%s differs from what the model generates; run: %s", committedName, REGENERATE)
        .isEqualTo(expected);
  }
}
