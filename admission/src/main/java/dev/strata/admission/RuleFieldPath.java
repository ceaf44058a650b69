package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a rule's fieldPath ({@code .a.b}, {@code ['key']}, {@code [0]}) and appends it to the path
 * of the node that carries the rule, naming map keys and properties as the schema says.
 */
final class RuleFieldPath {
  private RuleFieldPath() {}

  static FieldPath append(FieldPath path, JsonNode schema, String fieldPath) {
    if (fieldPath == null || fieldPath.isBlank()) {
      return path;
    }
    FieldPath result = path;
    JsonNode current = schema;
    int i = 0;
    String text = fieldPath.strip();
    while (i < text.length()) {
      char c = text.charAt(i);
      Object step;
      if (c == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        step = text.substring(i + 1, end);
        i = end;
      } else if (c == '[') {
        int close = closingBracket(text, i);
        String inside = text.substring(i + 1, close).strip();
        step = bracketStep(inside);
        i = close + 1;
      } else {
        // Not a path apiserver accepts; report it as one literal step rather than guess.
        return result.child(text.substring(i));
      }
      result = SchemaNodes.extend(result, current, step);
      current = SchemaNodes.childSchema(current, step);
    }
    return result;
  }

  private static int closingBracket(String text, int open) {
    boolean quoted = false;
    for (int j = open + 1; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == '\\' && quoted) {
        j++;
      } else if (c == ']' && !quoted) {
        return j;
      }
    }
    return text.length();
  }

  private static Object bracketStep(String inside) {
    if (inside.length() >= 2 && inside.startsWith("'") && inside.endsWith("'")) {
      return inside.substring(1, inside.length() - 1).replace("\\'", "'");
    }
    try {
      return Integer.parseInt(inside);
    } catch (NumberFormatException e) {
      return inside;
    }
  }
}
