package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reads the structural-schema facts admission needs from a CRD schema node (as JSON). */
final class SchemaNodes {
  static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
  static final String EMBEDDED_RESOURCE = "x-kubernetes-embedded-resource";
  static final String INT_OR_STRING = "x-kubernetes-int-or-string";
  static final String VALIDATIONS = "x-kubernetes-validations";

  private SchemaNodes() {}

  static String type(JsonNode schema) {
    return schema == null ? "" : schema.path("type").asText("");
  }

  /** The schema of a named property, or null when the node does not declare it. */
  static JsonNode property(JsonNode schema, String name) {
    if (schema == null) {
      return null;
    }
    JsonNode found = schema.path("properties").get(name);
    return found != null && found.isObject() ? found : null;
  }

  /** The schema every map value follows, or null when the node is not a map. */
  static JsonNode mapValues(JsonNode schema) {
    if (schema == null) {
      return null;
    }
    JsonNode values = schema.get("additionalProperties");
    return values != null && values.isObject() ? values : null;
  }

  /** additionalProperties: true keeps every key without saying what the values are. */
  static boolean allowsAnyKey(JsonNode schema) {
    return schema != null && schema.path("additionalProperties").asBoolean(false);
  }

  static JsonNode items(JsonNode schema) {
    if (schema == null) {
      return null;
    }
    JsonNode items = schema.get("items");
    return items != null && items.isObject() ? items : null;
  }

  static boolean preservesUnknownFields(JsonNode schema) {
    return schema != null && schema.path(PRESERVE_UNKNOWN).asBoolean(false);
  }

  static boolean isEmbeddedResource(JsonNode schema) {
    return schema != null && schema.path(EMBEDDED_RESOURCE).asBoolean(false);
  }

  static boolean isIntOrString(JsonNode schema) {
    return schema != null && schema.path(INT_OR_STRING).asBoolean(false);
  }

  static boolean isNullable(JsonNode schema) {
    return schema != null && schema.path("nullable").asBoolean(false);
  }

  static boolean isListMap(JsonNode schema) {
    return schema != null && "map".equals(schema.path("x-kubernetes-list-type").asText());
  }

  static List<String> listMapKeys(JsonNode schema) {
    return schema == null
        ? List.of()
        : java.util.stream.StreamSupport.stream(
                schema.path("x-kubernetes-list-map-keys").spliterator(), false)
            .map(JsonNode::asText)
            .toList();
  }

  /**
   * The name CEL errors use for a node's type: the declared type, or what an int-or-string or
   * untyped node holds.
   */
  static String typeName(JsonNode schema, JsonNode value) {
    String declared = type(schema);
    if (!declared.isEmpty()) {
      return declared;
    }
    return JsonTypes.of(value);
  }

  /** The schema of a child reached by a step in a path, or null if the schema does not say. */
  static JsonNode childSchema(JsonNode schema, Object step) {
    if (step instanceof Integer) {
      return items(schema);
    }
    String name = String.valueOf(step);
    JsonNode property = property(schema, name);
    return property != null ? property : mapValues(schema);
  }

  /** Extends a path by one step, as a property or map key depending on what the schema says. */
  static FieldPath extend(FieldPath path, JsonNode schema, Object step) {
    if (step instanceof Integer index) {
      return path.index(index);
    }
    String name = String.valueOf(step);
    if (property(schema, name) == null && (mapValues(schema) != null || allowsAnyKey(schema))) {
      return path.key(name);
    }
    return path.child(name);
  }
}
