package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SimpleJsonPathTest {
  private static final JsonNode JOB;

  static {
    try {
      JOB =
          new ObjectMapper()
              .readTree(
                  ("{'metadata':{'labels':{'strata.dev/tier':'high'}},"
                          + "'spec':{'replicas':{'Worker':{'replicas':3}}},"
                          + "'status':{'conditions':[{'type':'Created'},{'type':'Running'}]}}")
                      .replace('\'', '"'));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static String eval(String path) {
    return SimpleJsonPath.parse(path).evaluate(JOB).toString();
  }

  @Test
  void selectsFieldsIndexesAndSlices() {
    assertThat(eval(".spec.replicas.Worker.replicas")).isEqualTo("[3]");
    assertThat(eval(".status.conditions[-1:].type")).isEqualTo("[\"Running\"]");
    assertThat(eval(".status.conditions[0].type")).isEqualTo("[\"Created\"]");
    assertThat(eval(".status.conditions[*].type")).isEqualTo("[\"Created\", \"Running\"]");
    assertThat(eval("{.status.conditions[0:1].type}")).isEqualTo("[\"Created\"]");
    assertThat(eval(".metadata.labels.strata\\.dev/tier")).isEqualTo("[\"high\"]");
    assertThat(eval(".metadata.labels['strata.dev/tier']")).isEqualTo("[\"high\"]");
  }

  @Test
  void missingFieldsAndBadSyntaxSelectNothing() {
    assertThat(eval(".status.startTime")).isEqualTo("[]");
    assertThat(eval(".status.conditions[7].type")).isEqualTo("[]");
    assertThat(eval(".status.conditions[x")).isEqualTo("[]");
  }
}
