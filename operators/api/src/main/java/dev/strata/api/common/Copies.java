package dev.strata.api.common;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Deep copies of API objects, so defaulting never changes the object a caller holds. */
public final class Copies {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Copies() {}

  public static <T> T deepCopy(T object) {
    return object == null ? null : SERIALIZATION.clone(object);
  }
}
