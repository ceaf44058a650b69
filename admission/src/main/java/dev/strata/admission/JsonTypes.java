package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;

/** The OpenAPI type names of JSON values, as apiserver's type errors print them. */
final class JsonTypes {
  private JsonTypes() {}

  static String of(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()
        || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    return "string";
  }
}
