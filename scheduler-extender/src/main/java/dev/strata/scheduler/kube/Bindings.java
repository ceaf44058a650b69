package dev.strata.scheduler.kube;

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
 * A pod's {@code pods/<name>/binding} subresource, which every binder here posts to as
 * kube-scheduler does: the Binding names the pod (with its UID, so a pod recreated under the same
 * name is not bound by mistake) and the node.
 */
public final class Bindings {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Bindings() {}

  /** The answer to a binding POST: its HTTP status, and its body for a refusal's reason. */
  public record Answer(int code, String body) {
    public boolean accepted() {
      return code >= 200 && code <= 299;
    }
  }

  public static Binding of(String namespace, String name, String uid, String node) {
    return new BindingBuilder()
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
  }

  /** The subresource's URL for a pod. */
  public static String url(KubernetesClient client, String namespace, String name) {
    return client.getConfiguration().getMasterUrl().replaceAll("/+$", "")
        + "/api/v1/namespaces/"
        + namespace
        + "/pods/"
        + name
        + "/binding";
  }

  /**
   * POSTs the binding and waits up to {@code timeoutSeconds} for the answer.
   *
   * @throws ExecutionException or {@link TimeoutException} when no answer came
   */
  public static Answer post(KubernetesClient client, Binding binding, long timeoutSeconds)
      throws InterruptedException, ExecutionException, TimeoutException {
    HttpClient http = client.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(url(client, binding.getMetadata().getNamespace(), binding.getMetadata().getName()))
            .post("application/json", JSON.asJson(binding))
            .build();
    HttpResponse<String> response =
        http.sendAsync(request, String.class).get(timeoutSeconds, TimeUnit.SECONDS);
    return new Answer(response.code(), response.body());
  }

  /**
   * Records the GPUs chosen for a pod in {@value KubeKeys#GPU_INDICES_ANNOTATION} (a JSON merge
   * patch), before it is bound, so whatever starts it can read them.
   *
   * @throws KubernetesClientException when the patch is refused
   */
  public static void recordGpuIndices(
      KubernetesClient client, String namespace, String name, String gpuIndices) {
    String patch =
        JSON.asJson(
            Map.of(
                "metadata",
                Map.of("annotations", Map.of(KubeKeys.GPU_INDICES_ANNOTATION, gpuIndices))));
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
