package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Binds a pod to a node as kube-scheduler does: POST to the pod's {@code binding} subresource.
 * fabric8's CRUD mock API server (7.5.2) does not implement that subresource (it answers 409 and
 * leaves spec.nodeName empty), so when the pod is still unbound afterwards the node is written into
 * spec.nodeName by an update, guarded by the resourceVersion just read; a real API server takes the
 * binding and never gets the update.
 */
public final class PodBinding {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodBinding() {}

  /**
   * @return the bound pod, or null when it is gone or another binder bound it elsewhere first
   */
  public static Pod bind(KubernetesClient client, Pod pod, String node) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withUid(pod.getMetadata().getUid())
            .endMetadata()
            .withNewTarget()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(node)
            .endTarget()
            .build();
    postBinding(client, namespace, name, binding);
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      return null;
    }
    if (current.getSpec().getNodeName() != null) {
      return node.equals(current.getSpec().getNodeName()) ? current : null;
    }
    current.getSpec().setNodeName(node);
    try {
      return client.resource(current).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return null; // changed meanwhile: the caller looks again on the next event
      }
      throw e;
    }
  }

  private static void postBinding(
      KubernetesClient client, String namespace, String name, Binding binding) {
    HttpClient http = client.getHttpClient();
    URI uri =
        URI.create(
            client.getConfiguration().getMasterUrl().replaceAll("/+$", "")
                + "/api/v1/namespaces/"
                + namespace
                + "/pods/"
                + name
                + "/binding");
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(uri)
            .post("application/json", JSON.asJson(binding))
            .build();
    try {
      HttpResponse<String> response =
          http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
      // Any refusal is judged by reading the pod back.
      response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // As above: the pod read back says whether the binding happened.
    }
  }
}
