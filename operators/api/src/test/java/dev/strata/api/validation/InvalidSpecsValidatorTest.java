package dev.strata.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.testing.Examples;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's invalid specs (src/test/resources/invalid, one broken rule each) are refused by the
 * validator, with an error on the field the file's {@code # validator:} header names.
 */
class InvalidSpecsValidatorTest {
  static Stream<Path> invalidSpecs() {
    return Examples.invalidSpecs().stream();
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void validatorRefusesTheSpecNamingTheField(Path file) {
    List<FieldError> errors =
        switch (Examples.kind(file)) {
          case "MPIJob" -> MPIJobValidator.validate(Examples.mpiJob(file));
          case "TFJob" -> TFJobValidator.validate(Examples.tfJob(file));
          default -> throw new IllegalStateException("unknown kind in " + file);
        };
    assertThat(errors)
        .as("errors for %s", file.getFileName())
        .extracting(FieldError::field)
        .contains(Examples.header(file, "validator"));
    assertThat(errors).allSatisfy(e -> assertThat(e.detail()).isNotBlank());
  }

  @Test
  void atLeastTenInvalidSpecsOfEachKind() {
    assertThat(Examples.invalidSpecs().stream().filter(p -> Examples.kind(p).equals("MPIJob")))
        .hasSizeGreaterThanOrEqualTo(10);
    assertThat(Examples.invalidSpecs().stream().filter(p -> Examples.kind(p).equals("TFJob")))
        .hasSizeGreaterThanOrEqualTo(10);
  }
}
