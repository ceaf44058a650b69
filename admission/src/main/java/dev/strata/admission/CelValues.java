package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts JSON into the values CEL rules see, following the schema as apiserver does: objects and
 * maps become maps with string keys, {@code integer} becomes int (long), {@code number} becomes
 * double even when written without a fraction, and untyped values keep their JSON shape.
 */
final class CelValues {
  private CelValues() {}

  /**
   * At the root apiserver shows CEL only metadata.name and metadata.generateName; the rest of
   * metadata is the apiserver's business, not the CRD's.
   */
  static Object ofRoot(JsonNode object, JsonNode schema) {
    if (!object.isObject()) {
      return of(object, schema);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("metadata") && field.getValue().isObject()) {
        map.put("metadata", visibleMetadata(field.getValue()));
      } else {
        map.put(field.getKey(), of(field.getValue(), childSchema(schema, field.getKey())));
      }
    }
    return map;
  }

  private static Map<String, Object> visibleMetadata(JsonNode metadata) {
    Map<String, Object> visible = new LinkedHashMap<>();
    for (String name : List.of("name", "generateName")) {
      JsonNode value = metadata.get(name);
      if (value != null && value.isTextual()) {
        visible.put(name, value.textValue());
      }
    }
    return visible;
  }

  static Object of(JsonNode value, JsonNode schema) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return number(value, SchemaNodes.type(schema));
    }
    if (value.isArray()) {
      JsonNode items = SchemaNodes.items(schema);
      List<Object> list = new ArrayList<>(value.size());
      value.forEach(item -> list.add(of(item, items)));
      return list;
    }
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        map.put(field.getKey(), of(field.getValue(), childSchema(schema, field.getKey())));
      }
      return map;
    }
    return value.asText();
  }

  private static Object number(JsonNode value, String schemaType) {
    if (schemaType.equals("number")) {
      return value.doubleValue();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    double asDouble = value.doubleValue();
    boolean whole = asDouble == Math.rint(asDouble) && !Double.isInfinite(asDouble);
    if (schemaType.equals("integer") && whole && Math.abs(asDouble) < 0x1p63) {
      return (long) asDouble;
    }
    return asDouble;
  }

  private static JsonNode childSchema(JsonNode schema, String name) {
    JsonNode property = SchemaNodes.property(schema, name);
    return property != null ? property : SchemaNodes.mapValues(schema);
  }
}
