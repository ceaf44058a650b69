package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Records Kubernetes Events about a job, as users see them in {@code kubectl describe}. */
public interface EventRecorder {
  /** A routine transition. */
  void normal(HasMetadata about, Enum<?> reason, String message);

  /** Something the user should look at. */
  void warning(HasMetadata about, Enum<?> reason, String message);
}
