package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Records Kubernetes Events about a job, as users see them in {@code kubectl describe}. */
public interface EventRecorder {
  /** A routine transition. */
  void normal(HasMetadata about, Enum<?> reason, String message);

  /** Something the user should look at. */
  void warning(HasMetadata about, Enum<?> reason, String message);

  /** The Events a status change owes, in order. */
  default void record(HasMetadata about, java.util.List<StatusEvent> events) {
    for (StatusEvent event : events) {
      if (event.warning()) {
        warning(about, event.reason(), event.message());
      } else {
        normal(about, event.reason(), event.message());
      }
    }
  }
}
