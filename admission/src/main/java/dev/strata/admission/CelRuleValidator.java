package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates compiled x-kubernetes-validations rules at every instance of the schema nodes that
 * carry them, pairing each node with its counterpart in the old object for transition rules.
 */
final class CelRuleValidator {
  private final JsonNode rootSchema;
  private final Map<JsonNode, List<CompiledRule>> rules;

  CelRuleValidator(JsonNode rootSchema, Map<JsonNode, List<CompiledRule>> rules) {
    this.rootSchema = rootSchema;
    this.rules = rules;
  }

  boolean hasRules() {
    return !rules.isEmpty();
  }

  /** Evaluates every rule; {@code old} is null on create. */
  List<FieldViolation> validate(JsonNode object, JsonNode old) {
    List<FieldViolation> violations = new ArrayList<>();
    walk(rootSchema, object, old, FieldPath.root(), true, violations);
    return violations;
  }

  private void walk(
      JsonNode schema,
      JsonNode value,
      JsonNode old,
      FieldPath path,
      boolean root,
      List<FieldViolation> out) {
    if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    JsonNode correlatedOld = old == null || old.isNull() || old.isMissingNode() ? null : old;
    List<CompiledRule> here = rules.get(schema);
    if (here != null && !here.isEmpty()) {
      evaluate(here, schema, value, correlatedOld, path, root, out);
    }
    if (value.isObject()) {
      JsonNode mapValues = SchemaNodes.mapValues(schema);
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey();
        JsonNode oldChild =
            correlatedOld != null && correlatedOld.isObject() ? correlatedOld.get(name) : null;
        JsonNode property = SchemaNodes.property(schema, name);
        if (property != null) {
          walk(property, field.getValue(), oldChild, path.child(name), false, out);
        } else if (mapValues != null) {
          walk(mapValues, field.getValue(), oldChild, path.key(name), false, out);
        }
      }
    } else if (value.isArray()) {
      JsonNode items = SchemaNodes.items(schema);
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        walk(items, item, oldListItem(schema, correlatedOld, item), path.index(i), false, out);
      }
    }
  }

  /** The old item with the same list-map keys, or null when the list does not correlate items. */
  private static JsonNode oldListItem(JsonNode schema, JsonNode oldList, JsonNode item) {
    if (oldList == null || !oldList.isArray() || !SchemaNodes.isListMap(schema)) {
      return null;
    }
    List<String> keys = SchemaNodes.listMapKeys(schema);
    if (keys.isEmpty() || !item.isObject()) {
      return null;
    }
    for (JsonNode candidate : oldList) {
      if (candidate.isObject()
          && keys.stream().allMatch(k -> Objects.equals(candidate.get(k), item.get(k)))) {
        return candidate;
      }
    }
    return null;
  }

  private void evaluate(
      List<CompiledRule> here,
      JsonNode schema,
      JsonNode value,
      JsonNode old,
      FieldPath path,
      boolean root,
      List<FieldViolation> out) {
    Object self = root ? CelValues.ofRoot(value, schema) : CelValues.of(value, schema);
    Object oldSelf =
        old == null ? null : root ? CelValues.ofRoot(old, schema) : CelValues.of(old, schema);
    String typeName = SchemaNodes.typeName(schema, value);
    for (CompiledRule rule : here) {
      if (rule.transition() && oldSelf == null && !rule.optionalOldSelf()) {
        continue;
      }
      Map<String, Object> activation = new HashMap<>();
      activation.put(CelRuleCompiler.SELF, self);
      if (rule.optionalOldSelf()) {
        activation.put(CelRuleCompiler.OLD_SELF, Optional.ofNullable(oldSelf));
      } else if (oldSelf != null) {
        activation.put(CelRuleCompiler.OLD_SELF, oldSelf);
      }
      FieldPath reported = RuleFieldPath.append(path, schema, rule.fieldPath());
      Object result;
      try {
        result = rule.program().eval(activation);
      } catch (Exception | StackOverflowError e) {
        out.add(
            FieldViolation.invalidType(
                reported, typeName, errorText(e) + " evaluating rule: " + rule.describe()));
        continue;
      }
      if (Boolean.TRUE.equals(result)) {
        continue;
      }
      if (!(result instanceof Boolean)) {
        out.add(
            FieldViolation.invalidType(
                reported, typeName, "rule did not evaluate to a bool: " + rule.describe()));
        continue;
      }
      out.add(failure(rule, reported, typeName, message(rule, activation)));
    }
  }

  private static String message(CompiledRule rule, Map<String, Object> activation) {
    if (rule.messageProgram() != null) {
      try {
        Object message = rule.messageProgram().eval(activation);
        // apiserver ignores messages it could not show on one line.
        if (message instanceof String text && !text.isBlank() && !text.contains("\n")) {
          return text.strip();
        }
      } catch (Exception | StackOverflowError e) {
        // Falls back to the fixed message, as apiserver does.
      }
    }
    return rule.defaultMessage();
  }

  private static FieldViolation failure(
      CompiledRule rule, FieldPath path, String typeName, String message) {
    return switch (rule.reason()) {
      case "FieldValueRequired" -> FieldViolation.required(path, message);
      case "FieldValueForbidden" ->
          new FieldViolation(path.toString(), ViolationType.FORBIDDEN, null, message);
      case "FieldValueDuplicate" ->
          new FieldViolation(
              path.toString(), ViolationType.DUPLICATE, FieldViolation.quote(typeName), message);
      default -> FieldViolation.invalidType(path, typeName, message);
    };
  }

  private static String errorText(Throwable e) {
    String text = e.getMessage();
    return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
  }
}
