package dev.strata.scheduler.kube;

import java.util.Objects;

/**
 * The result of reading a Kubernetes object into the core's terms: the value, or a reason in words
 * why the object cannot be used. Bad input never throws out of this package; callers show the
 * reason to the user (a pod condition, an Event, an HTTP error body).
 */
public sealed interface Translation<T> {

  /** The object reads as {@code value}. */
  record Ok<T>(T value) implements Translation<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** The object cannot be used; {@code reason} says why, for a user to act on. */
  record Rejected<T>(String reason) implements Translation<T> {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static <T> Translation<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Translation<T> rejected(String reason) {
    return new Rejected<>(reason);
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value; throws {@link IllegalStateException} with the reason when rejected. */
  default T value() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException(((Rejected<T>) this).reason());
  }

  /** The reason, or null when the translation is ok. */
  default String reason() {
    return this instanceof Rejected<T> r ? r.reason() : null;
  }
}
