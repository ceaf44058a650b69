package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code spec.nodeName=n1,status.phase!=Failed}) evaluated against objects. The
 * CRUD mock only understands a few fields, so the server evaluates every field selector itself.
 */
public final class FieldSelector {
  private record Requirement(String field, String value, boolean equal) {}

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static FieldSelector parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    if (selector != null) {
      for (String term : selector.split(",")) {
        String t = term.trim();
        if (t.isEmpty()) {
          continue;
        }
        int ne = t.indexOf("!=");
        if (ne >= 0) {
          requirements.add(new Requirement(t.substring(0, ne), t.substring(ne + 2), false));
          continue;
        }
        int eq = t.indexOf("==");
        int len = 2;
        if (eq < 0) {
          eq = t.indexOf('=');
          len = 1;
        }
        if (eq > 0) {
          requirements.add(new Requirement(t.substring(0, eq), t.substring(eq + len), true));
        }
      }
    }
    return new FieldSelector(requirements);
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public boolean matches(JsonNode object) {
    for (Requirement r : requirements) {
      JsonNode node = object;
      for (String part : r.field().split("\\.")) {
        node = node.path(part);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(r.value()) != r.equal()) {
        return false;
      }
    }
    return true;
  }
}
