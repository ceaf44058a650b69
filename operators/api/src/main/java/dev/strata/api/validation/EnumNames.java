package dev.strata.api.validation;

import java.util.Arrays;
import java.util.List;

/** The wire values of an enum whose constant names are its wire values. */
final class EnumNames {
  private EnumNames() {}

  static List<String> of(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
