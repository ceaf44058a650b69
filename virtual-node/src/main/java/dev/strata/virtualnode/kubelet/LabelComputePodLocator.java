package dev.strata.virtualnode.kubelet;

import dev.strata.virtualnode.forward.ComputeNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the compute pod by the labels the forwarder puts on it ({@code strata.dev/tenant}, {@code
 * strata.dev/source-uid}) in the tenant namespace's compute namespace: right whatever name the
 * forwarder chose, and never a former pod of the same name.
 */
public final class LabelComputePodLocator implements ComputePodLocator {
  private final KubernetesClient compute;
  private final String tenant;
  private final UnaryOperator<String> computeNamespace;

  public LabelComputePodLocator(
      KubernetesClient compute, String tenant, UnaryOperator<String> computeNamespace) {
    this.compute = compute;
    this.tenant = tenant;
    this.computeNamespace = computeNamespace;
  }

  @Override
  public Optional<ComputePodRef> locate(Pod tenantPod) {
    String namespace = computeNamespace.apply(tenantPod.getMetadata().getNamespace());
    return compute
        .pods()
        .inNamespace(namespace)
        .withLabel(ComputeNames.TENANT, tenant)
        .withLabel(ComputeNames.SOURCE_UID, tenantPod.getMetadata().getUid())
        .list()
        .getItems()
        .stream()
        .findFirst()
        .map(p -> new ComputePodRef(namespace, p.getMetadata().getName()));
  }
}
