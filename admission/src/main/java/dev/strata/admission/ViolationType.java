package dev.strata.admission;

/** The kinds of field error apiserver reports, with the words its messages use for them. */
public enum ViolationType {
  REQUIRED("Required value", false),
  INVALID("Invalid value", true),
  /** A value of the wrong JSON type; reads like INVALID but stops CEL rules from running. */
  TYPE_INVALID("Invalid value", true),
  NOT_SUPPORTED("Unsupported value", true),
  DUPLICATE("Duplicate value", true),
  FORBIDDEN("Forbidden", false),
  TOO_LONG("Too long", false),
  TOO_MANY("Too many", true),
  INTERNAL("Internal error", false);

  private final String words;
  private final boolean showsValue;

  ViolationType(String words, boolean showsValue) {
    this.words = words;
    this.showsValue = showsValue;
  }

  public String words() {
    return words;
  }

  /** Whether apiserver prints the offending value after the type words. */
  public boolean showsValue() {
    return showsValue;
  }

  /**
   * apiserver skips CEL rules when the schema already rejected the object with one of these,
   * because the rules could not safely assume the object's shape.
   */
  boolean blocksCelRules() {
    return switch (this) {
      case NOT_SUPPORTED, REQUIRED, TOO_LONG, TOO_MANY, TYPE_INVALID -> true;
      default -> false;
    };
  }
}
