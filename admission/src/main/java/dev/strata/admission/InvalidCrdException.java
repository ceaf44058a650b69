package dev.strata.admission;

import java.util.List;

/** A CRD that apiserver would refuse, or that could not be read at all. */
public class InvalidCrdException extends RuntimeException {
  private final List<String> problems;

  public InvalidCrdException(String crdName, List<String> problems) {
    super(
        "CustomResourceDefinition "
            + FieldViolation.quote(crdName)
            + " is invalid: "
            + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidCrdException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /** Each problem, one per rule or field, e.g. a CEL rule that does not compile. */
  public List<String> problems() {
    return problems;
  }
}
