package dev.strata.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.Examples;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every upstream example is a valid job for Strata's validators, as it is for upstream's. */
class UpstreamExamplesValidationTest {
  static Stream<Path> mpiJobs() {
    return Examples.upstream("MPIJob").stream();
  }

  static Stream<Path> tfJobs() {
    return Examples.upstream("TFJob").stream();
  }

  @ParameterizedTest
  @MethodSource("mpiJobs")
  void upstreamMpiJobIsValid(Path file) {
    assertThat(MPIJobValidator.validate(Examples.mpiJob(file))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("tfJobs")
  void upstreamTfJobIsValid(Path file) {
    assertThat(TFJobValidator.validate(Examples.tfJob(file))).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void theCorpusIsThere() {
    assertThat(Examples.upstream("MPIJob")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(Examples.upstream("TFJob")).hasSizeGreaterThanOrEqualTo(4);
  }
}
