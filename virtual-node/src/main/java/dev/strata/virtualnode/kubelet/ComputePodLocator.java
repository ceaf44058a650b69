package dev.strata.virtualnode.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Finds the compute pod a tenant pod was forwarded to. The forwarder owns the mapping; the kubelet
 * endpoints only ask.
 */
@FunctionalInterface
public interface ComputePodLocator {
  /** Empty when the pod has not been forwarded (yet). */
  Optional<ComputePodRef> locate(Pod tenantPod);
}
