package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;

/**
 * Creates, updates and deletes the objects a job owns, with plain create/update/delete (no
 * server-side apply), which both real API servers and the CRUD mock server support. Idempotent: a
 * create that finds the object already there, or a delete that finds it gone, is not an error,
 * since the informer cache a reconcile read may be a moment behind.
 */
public final class ObjectWriter {
  private final KubernetesClient client;

  public ObjectWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates {@code desired} unless it exists already. An object of that name that the cache did not
   * show may be ours (the cache is behind) or someone else's that the job's selectors cannot see (a
   * pod without the job's labels); the second is refused like any other foreign object.
   *
   * @throws ForeignObjectException when the existing object has another controller than {@code
   *     desired} names
   */
  public void create(HasMetadata desired) {
    try {
      client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      HasMetadata existing = client.resource(desired).get();
      if (existing != null
          && !Objects.equals(
              OwnerReferences.controllerUid(existing), OwnerReferences.controllerUid(desired))) {
        throw new ForeignObjectException(existing);
      }
    }
  }

  /**
   * Replaces {@code observed} by {@code desired}, keeping the observed resource version so a
   * concurrent change is detected rather than overwritten. A conflict means the cache is behind:
   * the newer object's watch event brings another reconcile, which decides again, so the conflict
   * is not an error that should abort this one.
   *
   * @return whether the update was made: false when the object changed since {@code observed} was
   *     read, for callers whose next step must wait for the update (a counter, say)
   */
  public boolean update(HasMetadata desired, HasMetadata observed) {
    desired.getMetadata().setResourceVersion(observed.getMetadata().getResourceVersion());
    desired.getMetadata().setUid(observed.getMetadata().getUid());
    try {
      client.resource(desired).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return false;
    }
  }

  public void delete(HasMetadata object) {
    try {
      client
          .resource(object)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Refuses to adopt an object that another owner controls: a name clash is the user's to resolve.
   */
  public static void requireControlledBy(HasMetadata observed, HasMetadata owner) {
    if (observed != null && !OwnerReferences.isControlledBy(observed, owner)) {
      throw new ForeignObjectException(observed);
    }
  }

  /** An object the job needs exists under its name and belongs to someone else. */
  public static final class ForeignObjectException extends RuntimeException {
    public ForeignObjectException(HasMetadata object) {
      super(
          "Resource \""
              + object.getMetadata().getName()
              + "\" of Kind \""
              + object.getKind()
              + "\" already exists and is not managed by this job");
    }
  }
}
