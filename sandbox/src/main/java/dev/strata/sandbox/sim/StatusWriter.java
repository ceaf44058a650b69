package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;

/**
 * Writes a pod's status as a kubelet does: read the pod, replace its status, write it back with the
 * resourceVersion read; on a conflict read again. The whole status is replaced, not merged: the
 * CRUD mock API server appends arrays in merge patches.
 */
final class StatusWriter {
  private static final int ATTEMPTS = 5;

  private StatusWriter() {}

  /**
   * @param status the new status given the freshly read pod; null to write nothing
   * @return the pod as written, or null when it no longer exists (or status returned null)
   */
  static Pod write(
      KubernetesClient client, String namespace, String name, Function<Pod, PodStatus> status) {
    for (int attempt = 1; ; attempt++) {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null) {
        return null;
      }
      PodStatus next = status.apply(pod);
      if (next == null) {
        return null;
      }
      pod.setStatus(next);
      try {
        return client.resource(pod).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
