package dev.strata.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every property path of an OpenAPI v3 schema, with the JSON type the schema gives it. Object
 * properties are written {@code .name}, additionalProperties {@code .*} and array items {@code []},
 * so {@code .spec.mpiReplicaSpecs.*.template.spec.containers[].image} names one field.
 */
final class SchemaPaths {
  static final String INT_OR_STRING = "int-or-string";
  static final String ANY = "(any)";
  static final String UNTYPED = "(untyped)";

  private SchemaPaths() {}

  /** Path to type, in schema order; the root itself is left out. */
  static Map<String, String> of(JsonNode schema) {
    Map<String, String> paths = new LinkedHashMap<>();
    walk(schema, "", paths, false);
    paths.remove("");
    return paths;
  }

  /** The openAPIV3Schema of {@code version} in a CustomResourceDefinition. */
  static JsonNode schemaOf(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    throw new IllegalStateException(
        "no version " + version + " in " + crd.path("metadata").path("name").asText());
  }

  /**
   * {@code branch} is true inside anyOf/allOf/oneOf: such a branch can add properties to the path
   * but its type is only one of the alternatives, so it does not set the path's type.
   */
  private static void walk(JsonNode schema, String path, Map<String, String> out, boolean branch) {
    if (!branch) {
      out.put(path, typeOf(schema));
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> walk(p.getValue(), path + "." + p.getKey(), out, false));
    JsonNode additional = schema.path("additionalProperties");
    if (additional.isObject()) {
      walk(additional, path + ".*", out, false);
    }
    if (schema.has("items")) {
      walk(schema.get("items"), path + "[]", out, false);
    }
    for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
      for (JsonNode alternative : schema.path(combinator)) {
        walk(alternative, path, out, true);
      }
    }
  }

  private static String typeOf(JsonNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return INT_OR_STRING;
    }
    if (schema.has("type")) {
      return schema.get("type").asText();
    }
    return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) ? ANY : UNTYPED;
  }
}
