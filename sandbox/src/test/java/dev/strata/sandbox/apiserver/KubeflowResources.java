package dev.strata.sandbox.apiserver;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The Kubeflow job kinds, for fabric8's generic-resource calls in the sandbox's tests. */
public final class KubeflowResources {
  public static final ResourceDefinitionContext MPIJOBS = of("v2beta1", "mpijobs", "MPIJob");
  public static final ResourceDefinitionContext TFJOBS = of("v1", "tfjobs", "TFJob");

  private KubeflowResources() {}

  private static ResourceDefinitionContext of(String version, String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("kubeflow.org")
        .withVersion(version)
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }
}
