package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Owner references that make the API server's garbage collector delete what a job created. */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The controlling owner reference to {@code owner}. */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The UID of the object's controlling owner, or null when nothing controls it. */
  public static String controllerUid(HasMetadata object) {
    if (object.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .map(OwnerReference::getUid)
        .findFirst()
        .orElse(null);
  }

  /** Whether {@code object} is controlled by {@code owner} (same UID), so it is ours to change. */
  public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
    if (object.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    return object.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            r ->
                Boolean.TRUE.equals(r.getController())
                    && owner.getMetadata().getUid() != null
                    && owner.getMetadata().getUid().equals(r.getUid()));
  }
}
