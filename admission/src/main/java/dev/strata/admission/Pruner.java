package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops fields the structural schema does not declare, as apiserver does before storing a custom
 * resource, and remembers what it dropped so callers can warn about unknown fields.
 */
final class Pruner {
  /** Fields every object keeps at the root and in embedded resources. */
  private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  private final List<String> pruned = new ArrayList<>();

  /** Prunes the object in place; returns the paths of the dropped fields. */
  static List<String> prune(ObjectNode object, JsonNode rootSchema) {
    Pruner pruner = new Pruner();
    pruner.pruneObject(object, rootSchema, FieldPath.root(), true);
    return pruner.pruned;
  }

  private void prune(JsonNode value, JsonNode schema, FieldPath path) {
    if (schema == null) {
      return;
    }
    if (value instanceof ObjectNode object) {
      pruneObject(object, schema, path, SchemaNodes.isEmbeddedResource(schema));
    } else if (value instanceof ArrayNode array) {
      JsonNode items = SchemaNodes.items(schema);
      for (int i = 0; i < array.size(); i++) {
        prune(array.get(i), items, path.index(i));
      }
    }
  }

  private void pruneObject(ObjectNode object, JsonNode schema, FieldPath path, boolean keepMeta) {
    JsonNode mapValues = SchemaNodes.mapValues(schema);
    boolean keepUnknown =
        SchemaNodes.preservesUnknownFields(schema) || SchemaNodes.allowsAnyKey(schema);
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode property = SchemaNodes.property(schema, name);
      if (property != null) {
        prune(field.getValue(), property, path.child(name));
      } else if (mapValues != null) {
        prune(field.getValue(), mapValues, path.key(name));
      } else if (keepMeta && TYPE_AND_OBJECT_META.contains(name)) {
        // Kept as sent: apiserver checks ObjectMeta with its own rules, not the CRD's schema.
      } else if (!keepUnknown) {
        pruned.add(path.child(name).toString());
        fields.remove();
      }
    }
  }
}
