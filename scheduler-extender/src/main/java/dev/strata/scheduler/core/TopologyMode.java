package dev.strata.scheduler.core;

import java.util.Locale;

/**
 * How strictly a gang keeps to one RoCE switch. Either way the gang prefers the fewest switches,
 * then the fewest racks; only {@link #REQUIRED} stays pending rather than spread.
 */
public enum TopologyMode {
  /** One switch if any has room, else one rack, else wherever the gang fits. The default. */
  PREFERRED,
  /** One switch or pending: a job whose collective traffic must not cross the spine. */
  REQUIRED;

  /** Pod annotation carrying the mode, {@code preferred} or {@code required}. */
  public static final String ANNOTATION = "strata.dev/topology";

  /**
   * The mode named by the annotation's value; absent or blank is {@link #PREFERRED}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static TopologyMode parse(String value) {
    if (value == null || value.isBlank()) {
      return PREFERRED;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "preferred" -> PREFERRED;
      case "required" -> REQUIRED;
      default ->
          throw new IllegalArgumentException(
              ANNOTATION + " is '" + value + "'; it must be 'preferred' or 'required'");
    };
  }

  /** The annotation value for this mode. */
  public String annotationValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
