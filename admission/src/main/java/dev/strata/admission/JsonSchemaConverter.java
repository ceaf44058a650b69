package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns a CRD's OpenAPI v3 schema into a draft-4 JSON Schema that a generic validator checks the
 * way kube-openapi does: Kubernetes extensions become plain JSON Schema or are dropped, and
 * keywords the validator would misread (formats it does not know, defaults, docs) are left out.
 */
final class JsonSchemaConverter {
  /** Draft-4 assertion keywords whose values are not schemas; copied as they are. */
  private static final Set<String> VALUE_KEYWORDS =
      Set.of(
          "type",
          "required",
          "enum",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "multipleOf",
          "minLength",
          "maxLength",
          "pattern",
          "minItems",
          "maxItems",
          "uniqueItems",
          "minProperties",
          "maxProperties");

  private static final Set<String> SCHEMA_LIST_KEYWORDS = Set.of("allOf", "anyOf", "oneOf");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonSchemaConverter() {}

  static ObjectNode convert(JsonNode crdSchema) {
    ObjectNode out = JSON.objectNode();
    if (crdSchema == null || !crdSchema.isObject()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = crdSchema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      if (VALUE_KEYWORDS.contains(keyword)) {
        out.set(keyword, value.deepCopy());
      } else if (keyword.equals("properties") && value.isObject()) {
        ObjectNode properties = out.putObject("properties");
        value.fields().forEachRemaining(p -> properties.set(p.getKey(), convert(p.getValue())));
      } else if ((keyword.equals("additionalProperties") || keyword.equals("items"))
          && value.isObject()) {
        out.set(keyword, convert(value));
      } else if (SCHEMA_LIST_KEYWORDS.contains(keyword) && value.isArray()) {
        ArrayNode branches = out.putArray(keyword);
        value.forEach(branch -> branches.add(convert(branch)));
      } else if (keyword.equals("not") && value.isObject()) {
        out.set("not", convert(value));
      }
      // Everything else (format, default, description, nullable, x-kubernetes-*) is handled
      // below or is not an assertion kube-openapi makes for CRDs.
    }
    if (SchemaNodes.isIntOrString(crdSchema)) {
      // The anyOf [integer, string] that generators emit only restates the type; as a type list
      // the error reads like apiserver's "must be of type integer,string".
      out.set("type", JSON.arrayNode().add("integer").add("string"));
      dropTypeOnlyBranches(out, "anyOf");
    }
    if (SchemaNodes.isNullable(crdSchema)) {
      allowNull(out);
    }
    return out;
  }

  private static void dropTypeOnlyBranches(ObjectNode schema, String keyword) {
    JsonNode branches = schema.get(keyword);
    if (branches == null) {
      return;
    }
    boolean onlyTypes = true;
    for (JsonNode branch : branches) {
      onlyTypes &= branch.size() == 1 && branch.has("type");
    }
    if (onlyTypes) {
      schema.remove(keyword);
    }
  }

  private static void allowNull(ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      schema.set("type", JSON.arrayNode().add(type.textValue()).add("null"));
    } else if (type instanceof ArrayNode types) {
      types.add("null");
    }
    if (schema.get("enum") instanceof ArrayNode values) {
      values.addNull();
    }
  }
}
