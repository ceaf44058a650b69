package dev.strata.scheduler.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock API server, which has no {@code pods/<name>/binding} subresource of its own, plus
 * that subresource as the real API server serves it: an unbound pod gets {@code spec.nodeName} from
 * the Binding's target, a bound one is refused with 409.
 */
final class BindingApiDispatcher extends KubernetesCrudDispatcher {

  private static final Pattern BINDING =
      Pattern.compile("(/api/v1/namespaces/[^/]+/pods/[^/?]+)/binding(\\?.*)?");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    Matcher m = BINDING.matcher(request.getPath());
    if (!m.matches()) {
      return super.handleCreate(request);
    }
    MockResponse current = super.handleGet(m.group(1));
    if (current.code() != 200) {
      return current;
    }
    Pod pod = JSON.unmarshal(current.getBody().readUtf8(), Pod.class);
    Binding binding = JSON.unmarshal(request.getUtf8Body(), Binding.class);
    if (pod.getSpec().getNodeName() != null) {
      return new MockResponse()
          .setResponseCode(409)
          .setBody("{\"kind\":\"Status\",\"code\":409,\"message\":\"pod is already assigned\"}");
    }
    pod.getSpec().setNodeName(binding.getTarget().getName());
    MockResponse updated =
        super.handleUpdate(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.PUT,
                m.group(1),
                request.getHeaders(),
                new Buffer(JSON.asJson(pod).getBytes(StandardCharsets.UTF_8))));
    if (updated.code() != 200) {
      return updated;
    }
    return new MockResponse().setResponseCode(201).setBody(JSON.asJson(binding));
  }
}
