package dev.strata.api.compat;

import java.util.Collection;
import java.util.function.Supplier;

/** Failure messages that list one finding a line, so a long list stays readable. */
final class Listing {
  private Listing() {}

  static Supplier<String> of(String heading, Collection<?> items) {
    return () -> {
      StringBuilder message = new StringBuilder(heading).append(" (").append(items.size());
      message.append("):");
      items.forEach(item -> message.append("\n  ").append(item));
      return message.toString();
    };
  }
}
