package dev.strata.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RFC 1035 labels, the names Services and pod hostnames must have. Messages follow the API server's
 * wording so users recognise them.
 */
public final class Dns1035 {
  public static final int MAX_LENGTH = 63;
  private static final Pattern LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private Dns1035() {}

  /** Why {@code value} is not a DNS-1035 label; empty when it is one. */
  public static List<String> problems(String value) {
    List<String> problems = new ArrayList<>();
    if (value == null) {
      problems.add("must not be empty");
      return problems;
    }
    if (value.length() > MAX_LENGTH) {
      problems.add("must be no more than " + MAX_LENGTH + " characters");
    }
    if (!LABEL.matcher(value).matches()) {
      problems.add(
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start"
              + " with an alphabetic character, and end with an alphanumeric character (e.g."
              + " 'my-name', or 'abc-123')");
    }
    return problems;
  }

  public static boolean isLabel(String value) {
    return problems(value).isEmpty();
  }
}
