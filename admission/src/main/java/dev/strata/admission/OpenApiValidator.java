package dev.strata.admission;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an object against a CRD's OpenAPI schema with a JSON Schema validator and reports each
 * failure as the field error apiserver's kube-openapi validation would give.
 */
final class OpenApiValidator {
  private final JsonNode crdSchema;
  private final ObjectNode jsonSchema;
  private final JsonSchema validator;

  OpenApiValidator(JsonNode crdSchema) {
    this.crdSchema = crdSchema;
    this.jsonSchema = JsonSchemaConverter.convert(crdSchema);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(false)
            .build();
    this.validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(jsonSchema, config);
  }

  List<FieldViolation> validate(JsonNode object) {
    Set<ValidationMessage> messages;
    try {
      messages = validator.validate(object);
    } catch (RuntimeException e) {
      return List.of(
          new FieldViolation(
              "<nil>",
              ViolationType.INTERNAL,
              null,
              "schema validation failed: " + e.getMessage()));
    }
    Set<FieldViolation> violations = new LinkedHashSet<>();
    for (ValidationMessage message : messages) {
      violations.add(toViolation(message));
    }
    return new ArrayList<>(violations);
  }

  private FieldViolation toViolation(ValidationMessage message) {
    FieldPath path = FieldPath.root();
    JsonNode schema = crdSchema;
    JsonNodePath location = message.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object step = location.getElement(i);
      path = SchemaNodes.extend(path, schema, step);
      schema = SchemaNodes.childSchema(schema, step);
    }
    JsonNode value = message.getInstanceNode();
    JsonNode keywordSchema = keywordParent(message);
    String where = path + " in body";
    return switch (message.getType()) {
      case "required" -> {
        String property = message.getProperty();
        FieldPath missing = property == null ? path : SchemaNodes.extend(path, schema, property);
        yield FieldViolation.required(missing, "");
      }
      case "type" -> {
        String actual = JsonTypes.of(value);
        String expected = expectedType(keywordSchema);
        yield new FieldViolation(
            path.toString(),
            ViolationType.TYPE_INVALID,
            FieldViolation.quote(actual),
            where + " must be of type " + expected + ": " + FieldViolation.quote(actual));
      }
      case "enum" -> {
        List<String> supported = new ArrayList<>();
        keywordSchema
            .path("enum")
            .forEach(v -> supported.add(v.isTextual() ? v.textValue() : v.toString()));
        yield FieldViolation.notSupported(path, value, supported);
      }
      case "minimum" ->
          FieldViolation.invalid(
              path,
              value,
              where
                  + (keywordSchema.path("exclusiveMinimum").asBoolean(false)
                      ? " should be greater than "
                      : " should be greater than or equal to ")
                  + number(keywordSchema.get("minimum")));
      case "maximum" ->
          FieldViolation.invalid(
              path,
              value,
              where
                  + (keywordSchema.path("exclusiveMaximum").asBoolean(false)
                      ? " should be less than "
                      : " should be less than or equal to ")
                  + number(keywordSchema.get("maximum")));
      case "multipleOf" ->
          FieldViolation.invalid(
              path,
              value,
              where + " should be a multiple of " + number(keywordSchema.get("multipleOf")));
      case "minLength" ->
          FieldViolation.invalid(
              path,
              value,
              where
                  + " should be at least "
                  + keywordSchema.path("minLength").asLong()
                  + " chars long");
      case "maxLength" ->
          new FieldViolation(
              path.toString(),
              ViolationType.TOO_LONG,
              null,
              "may not be more than " + keywordSchema.path("maxLength").asLong() + " bytes");
      case "pattern" ->
          FieldViolation.invalid(
              path,
              value,
              where + " should match '" + keywordSchema.path("pattern").asText() + "'");
      case "minItems" ->
          FieldViolation.invalid(
              path,
              value,
              where
                  + " should have at least "
                  + keywordSchema.path("minItems").asLong()
                  + " items");
      case "maxItems" -> tooMany(path, value, keywordSchema.path("maxItems").asLong());
      case "minProperties" ->
          FieldViolation.invalid(
              path,
              value,
              where
                  + " should have at least "
                  + keywordSchema.path("minProperties").asLong()
                  + " properties");
      case "maxProperties" -> tooMany(path, value, keywordSchema.path("maxProperties").asLong());
      case "uniqueItems" ->
          FieldViolation.invalid(path, value, where + " shouldn't contain duplicates");
      case "anyOf" ->
          FieldViolation.invalid(path, value, "must validate at least one schema (anyOf)");
      case "oneOf" ->
          FieldViolation.invalid(path, value, "must validate one and only one schema (oneOf)");
      case "allOf" -> FieldViolation.invalid(path, value, "must validate all the schemas (allOf)");
      case "not" -> FieldViolation.invalid(path, value, "must not validate the schema (not)");
      default -> FieldViolation.invalid(path, value, message.getMessage());
    };
  }

  /** The converted schema node that holds the failing keyword, found from its location. */
  private JsonNode keywordParent(ValidationMessage message) {
    JsonNodePath fragment =
        message.getSchemaLocation() == null ? null : message.getSchemaLocation().getFragment();
    if (fragment == null || fragment.getNameCount() == 0) {
      return jsonSchema;
    }
    JsonPointer pointer = JsonPointer.empty();
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      Object step = fragment.getElement(i);
      pointer =
          step instanceof Integer index
              ? pointer.appendIndex(index)
              : pointer.appendProperty(String.valueOf(step));
    }
    JsonNode parent = jsonSchema.at(pointer);
    return parent.isMissingNode() ? jsonSchema : parent;
  }

  private static String expectedType(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      type.forEach(t -> names.add(t.asText()));
      names.remove("null");
      return String.join(",", names);
    }
    return type.asText();
  }

  private static FieldViolation tooMany(FieldPath path, JsonNode value, long max) {
    return new FieldViolation(
        path.toString(),
        ViolationType.TOO_MANY,
        String.valueOf(value == null ? 0 : value.size()),
        "must have at most " + max + " items");
  }

  /** Schema bounds print without a trailing ".0", as Go prints a float64 that is whole. */
  private static String number(JsonNode bound) {
    if (bound == null || !bound.isNumber()) {
      return String.valueOf(bound);
    }
    BigDecimal decimal = bound.decimalValue().stripTrailingZeros();
    return decimal.toPlainString();
  }
}
