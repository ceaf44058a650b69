package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Drops explicit nulls the schema neither allows (nullable) nor replaces (default), as apiserver
 * does while decoding, so that {@code command:} with nothing after it in a manifest means "not set"
 * rather than "a null where an array belongs". Nulls with a default are left for the defaulter to
 * fill.
 */
final class NullPruner {
  private NullPruner() {}

  static void prune(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      JsonNode mapValues = SchemaNodes.mapValues(schema);
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode property = SchemaNodes.property(schema, field.getKey());
        JsonNode fieldSchema = property != null ? property : mapValues;
        if (field.getValue().isNull()
            && fieldSchema != null
            && !SchemaNodes.isNullable(fieldSchema)
            && !fieldSchema.has("default")) {
          fields.remove();
        } else {
          prune(field.getValue(), fieldSchema);
        }
      }
    } else if (value != null && value.isArray()) {
      JsonNode items = SchemaNodes.items(schema);
      value.forEach(item -> prune(item, items));
    }
  }
}
