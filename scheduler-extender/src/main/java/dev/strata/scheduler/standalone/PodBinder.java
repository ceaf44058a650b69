package dev.strata.scheduler.standalone;

import dev.strata.scheduler.kube.Bindings;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Binds a pod to a node through its {@code pods/<name>/binding} subresource, as kube-scheduler
 * does, then reads the pod back: the pod read back, not the response, says whether it is bound (a
 * POST whose answer was lost may still have bound it).
 */
final class PodBinder {

  private final KubernetesClient client;

  PodBinder(KubernetesClient client) {
    this.client = client;
  }

  /** Why a pod could not be bound, for the caller's log and retry. */
  static final class BindFailure extends Exception {
    BindFailure(String message) {
      super(message);
    }
  }

  /** Binds {@code pod} (by name and UID) to {@code node}; returns the bound pod. */
  Pod bind(Pod pod, String node) throws BindFailure {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Binding binding = Bindings.of(namespace, name, pod.getMetadata().getUid(), node);
    int code = post(namespace, name, binding);
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      throw new BindFailure("pod " + namespace + "/" + name + " is gone");
    }
    String bound = current.getSpec().getNodeName();
    if (bound != null && !bound.isEmpty()) {
      if (bound.equals(node)) {
        return current;
      }
      throw new BindFailure("pod " + namespace + "/" + name + " is already bound to " + bound);
    }
    throw new BindFailure(
        "binding pod "
            + namespace
            + "/"
            + name
            + " to "
            + node
            + " failed"
            + (code < 0 ? " (no answer)" : " (the API server answered " + code + ")"));
  }

  private int post(String namespace, String name, Binding binding) throws BindFailure {
    try {
      return Bindings.post(client, binding, 30).code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BindFailure("interrupted while binding " + namespace + "/" + name);
    } catch (ExecutionException | TimeoutException e) {
      return -1; // judged by reading the pod back
    }
  }
}
