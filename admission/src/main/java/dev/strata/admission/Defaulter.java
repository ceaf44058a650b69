package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies schema defaults the way apiserver does: a property that is absent (or null without being
 * nullable) gets its default, but only inside an object that exists; defaulting then continues into
 * what is there, defaults included, so nested defaults apply too.
 */
final class Defaulter {
  private Defaulter() {}

  static void apply(JsonNode value, JsonNode schema) {
    if (schema == null) {
      return;
    }
    if (value instanceof ObjectNode object) {
      applyToObject(object, schema);
    } else if (value instanceof ArrayNode array) {
      JsonNode items = SchemaNodes.items(schema);
      for (JsonNode item : array) {
        apply(item, items);
      }
    }
  }

  private static void applyToObject(ObjectNode object, JsonNode schema) {
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      JsonNode defaultValue = property.getValue().get("default");
      if (defaultValue == null) {
        continue;
      }
      JsonNode current = object.get(property.getKey());
      if (current == null || (current.isNull() && !SchemaNodes.isNullable(property.getValue()))) {
        object.set(property.getKey(), defaultValue.deepCopy());
      }
    }
    JsonNode mapValues = SchemaNodes.mapValues(schema);
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode property = SchemaNodes.property(schema, field.getKey());
      apply(field.getValue(), property != null ? property : mapValues);
    }
  }
}
