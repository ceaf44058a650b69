package dev.strata.api.validation;

/**
 * A path to a field in Kubernetes notation: {@code spec.mpiReplicaSpecs[Worker].replicas}, {@code
 * spec.template.spec.containers[0].image}. Immutable; each step returns a new path.
 */
public final class FieldPath {
  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  public static FieldPath of(String root) {
    return new FieldPath(root);
  }

  public FieldPath child(String name) {
    return new FieldPath(text + "." + name);
  }

  /** A map entry, written with its key in brackets as Kubernetes does. */
  public FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  public FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
