package dev.strata.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The places where two JSON trees differ, as JSON pointers with what each side holds. */
final class JsonTreeDiff {
  private JsonTreeDiff() {}

  /**
   * Compares {@code expected} with {@code actual}. Where two scalars differ, or a member is on one
   * side only (the other side is then a MissingNode), {@code equivalent} is asked whether the
   * difference is an accepted normalisation.
   */
  static List<String> diff(JsonNode expected, JsonNode actual, Equivalence equivalent) {
    List<String> out = new ArrayList<>();
    walk("", expected, actual, equivalent, out);
    return out;
  }

  /** Decides whether two differing values at one pointer mean the same. */
  interface Equivalence {
    boolean test(String pointer, JsonNode expected, JsonNode actual);

    static Equivalence none() {
      return (pointer, expected, actual) -> false;
    }
  }

  private static void walk(
      String pointer, JsonNode expected, JsonNode actual, Equivalence eq, List<String> out) {
    if (expected.isObject() && actual.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = pointer + "/" + ModelTypes.escape(name);
        if (!actual.has(name)) {
          if (!eq.test(child, expected.get(name), MissingNode.getInstance())) {
            out.add(child + ": lost (was " + expected.get(name) + ")");
          }
        } else if (!expected.has(name)) {
          if (!eq.test(child, MissingNode.getInstance(), actual.get(name))) {
            out.add(child + ": added (" + actual.get(name) + ")");
          }
        } else {
          walk(child, expected.get(name), actual.get(name), eq, out);
        }
      }
    } else if (expected.isArray() && actual.isArray()) {
      int common = Math.min(expected.size(), actual.size());
      for (int i = 0; i < common; i++) {
        walk(pointer + "/" + i, expected.get(i), actual.get(i), eq, out);
      }
      for (int i = common; i < expected.size(); i++) {
        out.add(pointer + "/" + i + ": lost (was " + expected.get(i) + ")");
      }
      for (int i = common; i < actual.size(); i++) {
        out.add(pointer + "/" + i + ": added (" + actual.get(i) + ")");
      }
    } else if (!sameScalar(expected, actual) && !eq.test(pointer, expected, actual)) {
      out.add(pointer + ": changed from " + expected + " to " + actual);
    }
  }

  /**
   * Jackson keeps the width a number was read with (an int from YAML, a long from JSON), which is
   * not part of the value; the JSON type (integer or not) and the value are.
   */
  private static boolean sameScalar(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.isIntegralNumber() == b.isIntegralNumber()
          && a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
