package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What admission made of an object.
 *
 * @param qualifiedKind the kind and group, e.g. {@code MPIJob.kubeflow.org}
 * @param object the object as it would be stored: pruned and defaulted (a copy; the input is never
 *     changed)
 * @param violations why the object is rejected; empty when it is admitted
 * @param prunedFields the paths of unknown fields that pruning dropped
 */
public record AdmissionResult(
    String qualifiedKind,
    JsonNode object,
    List<FieldViolation> violations,
    List<String> prunedFields) {

  public AdmissionResult {
    violations = List.copyOf(violations);
    prunedFields = List.copyOf(prunedFields);
  }

  public boolean allowed() {
    return violations.isEmpty();
  }

  /** kubectl-style warnings for the pruned fields: {@code unknown field "spec.foo"}. */
  public List<String> warnings() {
    return prunedFields.stream().map(f -> "unknown field " + FieldViolation.quote(f)).toList();
  }

  /**
   * The message of apiserver's 422 Invalid status, e.g. {@code MPIJob.kubeflow.org "pi" is invalid:
   * spec.x: Required value}; several violations are bracketed and comma-separated, duplicates
   * dropped, as Go's aggregate error prints them. Empty when the object was admitted.
   */
  public String invalidMessage() {
    if (violations.isEmpty()) {
      return "";
    }
    Set<String> distinct = new LinkedHashSet<>();
    violations.forEach(v -> distinct.add(v.toString()));
    String errors =
        distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    return qualifiedKind + " " + FieldViolation.quote(name()) + " is invalid: " + errors;
  }

  private String name() {
    JsonNode name = object == null ? null : object.path("metadata").path("name");
    return name != null && name.isTextual() ? name.textValue() : "";
  }
}
