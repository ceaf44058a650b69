package dev.strata.sandbox.sim;

import dev.strata.scheduler.kube.Bindings;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Binds a pod to a node as kube-scheduler does: POST to the pod's {@code binding} subresource, then
 * read the pod back, which says whether this binding or another binder's won.
 */
public final class PodBinding {
  private PodBinding() {}

  /**
   * @return the bound pod, or null when it is gone or another binder bound it elsewhere first
   */
  public static Pod bind(KubernetesClient client, Pod pod, String node) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Binding binding = Bindings.of(namespace, name, pod.getMetadata().getUid(), node);
    postBinding(client, namespace, name, binding);
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      return null;
    }
    // Bound elsewhere, or still unbound (refused): the caller looks again on the next event.
    return node.equals(current.getSpec().getNodeName()) ? current : null;
  }

  private static void postBinding(
      KubernetesClient client, String namespace, String name, Binding binding) {
    try {
      // Any refusal is judged by reading the pod back.
      Bindings.post(client, binding, 30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // As above: the pod read back says whether the binding happened.
    }
  }
}
