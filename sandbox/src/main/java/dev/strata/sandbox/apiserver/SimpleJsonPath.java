package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of kubectl's JSONPath that printer columns use: {@code .a.b}, {@code ['a.b']}, {@code
 * [n]}, {@code [-1:]}, {@code [a:b]} and {@code [*]}. Evaluation yields every match in order;
 * unknown syntax yields nothing rather than an error, as a missing field would.
 */
public final class SimpleJsonPath {
  private sealed interface Step permits Field, Slice, Index {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Slice(Integer from, Integer to) implements Step {}

  private final List<Step> steps;

  private SimpleJsonPath(List<Step> steps) {
    this.steps = steps;
  }

  /** Parses {@code path}, with or without the surrounding {@code {}}. */
  public static SimpleJsonPath parse(String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (!p.startsWith(".") && !p.startsWith("[")) {
      p = "." + p;
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        int start = ++i;
        StringBuilder name = new StringBuilder();
        while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
          if (p.charAt(i) == '\\' && i + 1 < p.length()) {
            i++;
          }
          name.append(p.charAt(i++));
        }
        if (i > start) {
          steps.add(new Field(name.toString()));
        }
      } else if (c == '[') {
        int end = p.indexOf(']', i);
        if (end < 0) {
          return new SimpleJsonPath(null);
        }
        String inner = p.substring(i + 1, end).trim();
        i = end + 1;
        if (inner.startsWith("'") || inner.startsWith("\"")) {
          steps.add(new Field(inner.substring(1, inner.length() - 1)));
        } else if (inner.equals("*")) {
          steps.add(new Slice(null, null));
        } else if (inner.contains(":")) {
          String[] parts = inner.split(":", -1);
          steps.add(new Slice(number(parts[0]), number(parts[1])));
        } else {
          Integer index = number(inner);
          if (index == null) {
            return new SimpleJsonPath(null);
          }
          steps.add(new Index(index));
        }
      } else {
        return new SimpleJsonPath(null);
      }
    }
    return new SimpleJsonPath(steps);
  }

  /** Every value the path selects in {@code root}. */
  public List<JsonNode> evaluate(JsonNode root) {
    List<JsonNode> current = new ArrayList<>();
    if (steps == null || root == null) {
      return current;
    }
    current.add(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (step instanceof Field f) {
          JsonNode child = node.get(f.name());
          if (child != null && !child.isNull()) {
            next.add(child);
          }
        } else if (step instanceof Index ix) {
          if (node.isArray()) {
            int index = ix.index() < 0 ? node.size() + ix.index() : ix.index();
            if (index >= 0 && index < node.size()) {
              next.add(node.get(index));
            }
          }
        } else if (step instanceof Slice s) {
          if (node.isArray()) {
            int size = node.size();
            int from = clamp(s.from() == null ? 0 : s.from(), size);
            int to = clamp(s.to() == null ? size : s.to(), size);
            for (int k = from; k < to; k++) {
              next.add(node.get(k));
            }
          } else if (node.isObject() && s.from() == null && s.to() == null) {
            node.elements().forEachRemaining(next::add);
          }
        }
      }
      current = next;
    }
    return current;
  }

  private static int clamp(int index, int size) {
    int i = index < 0 ? size + index : index;
    return Math.max(0, Math.min(size, i));
  }

  private static Integer number(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
