package dev.strata.scheduler.extender;

import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Binds through the API server: a JSON merge patch records {@value KubeKeys#GPU_INDICES_ANNOTATION}
 * (so the pod never runs without knowing its GPUs), then a Binding is posted to the pod's {@code
 * binding} subresource, which sets {@code spec.nodeName} as kube-scheduler's own binder does.
 */
public final class KubernetesPodBinder implements PodBinder {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final long TIMEOUT_SECONDS = 10;

  private final KubernetesClient client;

  public KubernetesPodBinder(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void bind(String namespace, String name, String uid, String node, String gpuIndices)
      throws BindException {
    if (!gpuIndices.isEmpty()) {
      String patch =
          JSON.asJson(
              Map.of(
                  "metadata",
                  Map.of("annotations", Map.of(KubeKeys.GPU_INDICES_ANNOTATION, gpuIndices))));
      try {
        client
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      } catch (KubernetesClientException e) {
        throw new BindException(
            "recording GPU indices on " + namespace + "/" + name + ": " + e.getMessage());
      }
    }
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withUid(uid == null || uid.isEmpty() ? null : uid)
            .endMetadata()
            .withNewTarget()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(node)
            .endTarget()
            .build();
    String url = base() + "api/v1/namespaces/" + namespace + "/pods/" + name + "/binding";
    HttpClient http = client.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(url)
            .post("application/json", JSON.asJson(binding))
            .build();
    try {
      HttpResponse<String> response =
          http.sendAsync(request, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (response.code() < 200 || response.code() > 299) {
        throw new BindException(
            "POST " + url + " answered " + response.code() + ": " + response.body());
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

  private String base() {
    String master = client.getConfiguration().getMasterUrl();
    return master.endsWith("/") ? master : master + "/";
  }
}
