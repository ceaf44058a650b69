package dev.strata.scheduler.apiserver;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock API server (which has no {@code pods/<name>/binding} subresource of its own) plus
 * what a real one does on {@code POST pods/<name>/binding}: set {@code spec.nodeName} of an unbound
 * pod, refuse (409) a bound one; and, like a real one, refuse (422) an update that changes a pod's
 * {@code spec.nodeName}. Counts bindings and the updates of pods' main resource, so a test can tell
 * that a scheduler bound through the subresource. {@link #failOnce} makes the next binding of a pod
 * fail with 403, as an admission webhook refusing it for a moment would (fabric8's client retries a
 * 5xx by itself, so that would not reach the scheduler).
 */
public final class BindingDispatcher extends KubernetesCrudDispatcher {

  private static final Pattern BINDING =
      Pattern.compile("(/api/v1/namespaces/[^/]+/pods/[^/?]+)/binding(\\?.*)?");
  private static final Pattern POD =
      Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/?]+(\\?.*)?");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  public final AtomicInteger bindings = new AtomicInteger();
  public final AtomicInteger podUpdates = new AtomicInteger();
  public final AtomicInteger refused = new AtomicInteger();
  public final Set<String> failOnce = ConcurrentHashMap.newKeySet();

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    Matcher m = BINDING.matcher(request.getPath());
    if (!m.matches()) {
      return super.handleCreate(request);
    }
    String podPath = m.group(1);
    if (failOnce.remove(podPath.substring(podPath.lastIndexOf('/') + 1))) {
      refused.incrementAndGet();
      return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"code\":403}");
    }
    MockResponse current = super.handleGet(podPath);
    if (current.code() != 200) {
      return current;
    }
    Pod pod = JSON.unmarshal(current.getBody().readUtf8(), Pod.class);
    Binding binding = JSON.unmarshal(request.getUtf8Body(), Binding.class);
    if (pod.getSpec().getNodeName() != null) {
      return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"code\":409}");
    }
    pod.getSpec().setNodeName(binding.getTarget().getName());
    RecordedRequest put =
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PUT,
            podPath,
            request.getHeaders(),
            new Buffer(JSON.asJson(pod).getBytes(StandardCharsets.UTF_8)));
    MockResponse updated = super.handleUpdate(put);
    if (updated.code() != 200) {
      return updated;
    }
    bindings.incrementAndGet();
    return new MockResponse().setResponseCode(201).setBody(JSON.asJson(binding));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    if (POD.matcher(request.getPath()).matches()) {
      podUpdates.incrementAndGet();
      MockResponse current = super.handleGet(request.getPath());
      if (current.code() == 200) {
        Pod before = JSON.unmarshal(current.getBody().readUtf8(), Pod.class);
        Pod after = JSON.unmarshal(request.getUtf8Body(), Pod.class);
        if (!java.util.Objects.equals(
            before.getSpec().getNodeName(), after.getSpec().getNodeName())) {
          return new MockResponse()
              .setResponseCode(422)
              .setBody("{\"kind\":\"Status\",\"code\":422,\"message\":\"spec is immutable\"}");
        }
      }
    }
    return super.handleUpdate(request);
  }
}
