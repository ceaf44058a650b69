package dev.strata.admission;

import java.util.ArrayList;
import java.util.List;

/**
 * A field path rendered the way apiserver's field.Path renders it: properties joined by dots, map
 * keys and list indexes in brackets, and {@code <nil>} for the object root.
 */
public final class FieldPath {
  private static final FieldPath ROOT = new FieldPath(List.of());

  private final List<String> segments;

  private FieldPath(List<String> segments) {
    this.segments = segments;
  }

  public static FieldPath root() {
    return ROOT;
  }

  public FieldPath child(String property) {
    return append(segments.isEmpty() ? property : "." + property);
  }

  public FieldPath key(String mapKey) {
    return append("[" + mapKey + "]");
  }

  public FieldPath index(int index) {
    return append("[" + index + "]");
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  private FieldPath append(String segment) {
    List<String> longer = new ArrayList<>(segments.size() + 1);
    longer.addAll(segments);
    longer.add(segment);
    return new FieldPath(List.copyOf(longer));
  }

  @Override
  public String toString() {
    return segments.isEmpty() ? "<nil>" : String.join("", segments);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath that && segments.equals(that.segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }
}
