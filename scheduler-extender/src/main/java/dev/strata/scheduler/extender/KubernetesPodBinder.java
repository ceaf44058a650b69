package dev.strata.scheduler.extender;

import dev.strata.scheduler.kube.Bindings;
import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Binds through the API server: a JSON merge patch records {@value KubeKeys#GPU_INDICES_ANNOTATION}
 * (so the pod never runs without knowing its GPUs), then a Binding is posted to the pod's {@code
 * binding} subresource, which sets {@code spec.nodeName} as kube-scheduler's own binder does.
 */
public final class KubernetesPodBinder implements PodBinder {

  private static final long TIMEOUT_SECONDS = 10;

  private final KubernetesClient client;

  public KubernetesPodBinder(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void bind(String namespace, String name, String uid, String node, String gpuIndices)
      throws BindException {
    if (!gpuIndices.isEmpty()) {
      try {
        Bindings.recordGpuIndices(client, namespace, name, gpuIndices);
      } catch (KubernetesClientException e) {
        throw new BindException(
            "recording GPU indices on " + namespace + "/" + name + ": " + e.getMessage());
      }
    }
    String url = Bindings.url(client, namespace, name);
    try {
      Bindings.Answer answer =
          Bindings.post(client, Bindings.of(namespace, name, uid, node), TIMEOUT_SECONDS);
      if (!answer.accepted()) {
        throw new BindException(
            "POST " + url + " answered " + answer.code() + ": " + answer.body());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new BindException("POST " + url + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BindException("interrupted while binding " + namespace + "/" + name);
    }
  }

  @Override
  public void evict(String namespace, String name, String uid) throws BindException {
    try {
      client.pods().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      throw new BindException("deleting " + namespace + "/" + name + ": " + e.getMessage());
    }
  }
}
