package dev.strata.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One problem with a job spec: the field it is in, what kind of problem, the offending value and a
 * sentence a user understands. {@link #toString()} reads like the API server's own messages.
 */
public record FieldError(String field, Type type, Object badValue, String detail) {

  /** The kinds of problem, worded as Kubernetes words them. */
  public enum Type {
    REQUIRED("Required value"),
    INVALID("Invalid value"),
    NOT_SUPPORTED("Unsupported value"),
    FORBIDDEN("Forbidden"),
    DUPLICATE("Duplicate value");

    private final String words;

    Type(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  public static FieldError required(FieldPath path, String detail) {
    return new FieldError(path.toString(), Type.REQUIRED, null, detail);
  }

  public static FieldError invalid(FieldPath path, Object value, String detail) {
    return new FieldError(path.toString(), Type.INVALID, value, detail);
  }

  public static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(path.toString(), Type.FORBIDDEN, null, detail);
  }

  public static FieldError duplicate(FieldPath path, Object value, String detail) {
    return new FieldError(path.toString(), Type.DUPLICATE, value, detail);
  }

  public static FieldError notSupported(FieldPath path, Object value, List<String> supported) {
    String quoted = supported.stream().map(s -> '"' + s + '"').collect(Collectors.joining(", "));
    return new FieldError(
        path.toString(), Type.NOT_SUPPORTED, value, "supported values: " + quoted);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(field).append(": ").append(type.words());
    if (type == Type.INVALID || type == Type.NOT_SUPPORTED || type == Type.DUPLICATE) {
      text.append(": ")
          .append(badValue instanceof String ? '"' + (String) badValue + '"' : badValue);
    }
    if (detail != null && !detail.isEmpty()) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }

  /** All errors on one line, as the API server joins them in a 422 response. */
  public static String summary(List<FieldError> errors) {
    return errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
