package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason an object was rejected, shaped like apiserver's field.Error.
 *
 * @param field the field path as apiserver renders it ({@code <nil>} for the root)
 * @param type what kind of error
 * @param badValue the offending value already rendered ({@code "object"}, {@code -1}, {@code
 *     null}); ignored when the type does not print a value
 * @param detail the explanation, possibly empty
 */
public record FieldViolation(String field, ViolationType type, String badValue, String detail) {

  public FieldViolation {
    field = field == null || field.isEmpty() ? "<nil>" : field;
    detail = detail == null ? "" : detail;
  }

  public static FieldViolation required(FieldPath path, String detail) {
    return new FieldViolation(path.toString(), ViolationType.REQUIRED, null, detail);
  }

  public static FieldViolation invalid(FieldPath path, JsonNode value, String detail) {
    return new FieldViolation(path.toString(), ViolationType.INVALID, render(value), detail);
  }

  /** An invalid value described by its schema type, as CEL rule failures report it. */
  public static FieldViolation invalidType(FieldPath path, String typeName, String detail) {
    return new FieldViolation(path.toString(), ViolationType.INVALID, quote(typeName), detail);
  }

  public static FieldViolation notSupported(
      FieldPath path, JsonNode value, List<String> supportedValues) {
    String detail =
        supportedValues.isEmpty()
            ? ""
            : "supported values: "
                + supportedValues.stream()
                    .map(FieldViolation::quote)
                    .collect(Collectors.joining(", "));
    return new FieldViolation(path.toString(), ViolationType.NOT_SUPPORTED, render(value), detail);
  }

  /** Renders a JSON value the way Go's field errors print a bad value. */
  public static String render(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      // Go substitutes the string "null" for a nil value, then quotes it like any string.
      return quote("null");
    }
    if (value.isTextual()) {
      return quote(value.textValue());
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    return quote(value.isArray() ? "array" : "object");
  }

  static String quote(String text) {
    return new TextNode(text == null ? "" : text).toString();
  }

  /** The error body apiserver prints after the field: type words, value, detail. */
  public String body() {
    StringBuilder out = new StringBuilder(type.words());
    if (type.showsValue()) {
      out.append(": ").append(badValue == null ? quote("null") : badValue);
    }
    if (!detail.isEmpty()) {
      out.append(": ").append(detail);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }
}
