package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Admission for one served version: its schema, validator and compiled rules. */
final class VersionAdmission {
  private static final String RULES_SKIPPED =
      "some validation rules were not checked because the object was invalid; correct the"
          + " existing errors to complete validation";

  private final JsonNode schema;
  private final OpenApiValidator openApi;
  private final CelRuleValidator cel;

  VersionAdmission(JsonNode schema, CelRuleValidator cel) {
    this.schema = schema;
    this.openApi = new OpenApiValidator(schema);
    this.cel = cel;
  }

  AdmissionResult admit(String qualifiedKind, ObjectNode object, JsonNode old) {
    ObjectNode admitted = object.deepCopy();
    List<String> pruned = Pruner.prune(admitted, schema);
    NullPruner.prune(admitted, schema);
    Defaulter.apply(admitted, schema);

    List<FieldViolation> violations = new ArrayList<>(openApi.validate(admitted));
    if (cel.hasRules()) {
      if (violations.stream().anyMatch(v -> v.type().blocksCelRules())) {
        violations.add(new FieldViolation("<nil>", ViolationType.INVALID, null, RULES_SKIPPED));
      } else {
        violations.addAll(cel.validate(admitted, storedForm(old)));
      }
    }
    return new AdmissionResult(qualifiedKind, admitted, violations, pruned);
  }

  /** The old object as apiserver would have stored it: pruned and defaulted. */
  private JsonNode storedForm(JsonNode old) {
    if (!(old instanceof ObjectNode oldObject)) {
      return null;
    }
    ObjectNode stored = oldObject.deepCopy();
    Pruner.prune(stored, schema);
    NullPruner.prune(stored, schema);
    Defaulter.apply(stored, schema);
    return stored;
  }
}
