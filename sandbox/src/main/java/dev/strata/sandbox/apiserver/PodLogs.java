package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code GET pods/<name>/log} as kube-apiserver answers it: the pod's node is asked on its kubelet
 * endpoint ({@code status.daemonEndpoints.kubeletEndpoint.Port} at its InternalIP, as the virtual
 * node registers it), {@code /containerLogs/<namespace>/<pod>/<container>}, with a bearer token the
 * kubelet has this API server review. The sandbox's simulated compute nodes run no containers and
 * have no kubelet: for a pod on one of them, the log says so and tells what the container would
 * have run and how it ended, from the pod itself.
 */
final class PodLogs {

  /** The query parameters passed on to the kubelet; {@code follow} is not (see {@link #answer}). */
  private static final Set<String> PASSED_ON =
      Set.of("tailLines", "timestamps", "previous", "sinceSeconds", "sinceTime", "limitBytes");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Presented to kubelets, which ask this API server back in a TokenReview ({@link Reviews}). */
  private final String token;

  PodLogs(String token) {
    this.token = token;
  }

  /** A log answer: HTTP status and body (plain text, or a Status for errors). */
  record Answer(int code, String body, boolean text) {}

  /**
   * The log of {@code pod}, whose node is {@code node} (null when unbound or gone). The answer is
   * read whole: {@code follow} shows what there is and ends, since the sandbox API server answers
   * each request in one piece.
   */
  Answer answer(JsonNode pod, JsonNode node, Map<String, String> query) {
    String name = pod.path("metadata").path("name").asText();
    String namespace = pod.path("metadata").path("namespace").asText();
    List<String> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> containers.add(c.path("name").asText()));
    String container = query.get("container");
    if (container == null || container.isEmpty()) {
      if (containers.size() != 1) {
        return error(
            400,
            "BadRequest",
            "a container name must be specified for pod "
                + name
                + ", choose one of: "
                + containers);
      }
      container = containers.get(0);
    } else if (!containers.contains(container)) {
      return error(400, "BadRequest", "container " + container + " is not valid for pod " + name);
    }
    String nodeName = pod.path("spec").path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      return error(
          400,
          "BadRequest",
          "container \"" + container + "\" in pod \"" + name + "\" is waiting to start");
    }
    int port =
        node == null
            ? 0
            : node.path("status")
                .path("daemonEndpoints")
                .path("kubeletEndpoint")
                .path("Port")
                .asInt(0);
    if (port > 0) {
      return fromKubelet(node, port, namespace, name, container, query);
    }
    return new Answer(200, simulated(pod, container, nodeName), true);
  }

  private Answer fromKubelet(
      JsonNode node,
      int port,
      String namespace,
      String pod,
      String container,
      Map<String, String> query) {
    String address = "127.0.0.1";
    for (JsonNode a : node.path("status").path("addresses")) {
      if ("InternalIP".equals(a.path("type").asText())) {
        address = a.path("address").asText();
      }
    }
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (PASSED_ON.contains(k)) {
            params.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    URI uri =
        URI.create(
            "http://"
                + address
                + ":"
                + port
                + "/containerLogs/"
                + namespace
                + "/"
                + pod
                + "/"
                + container
                + params);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return new Answer(200, response.body(), true);
      }
      return error(
          response.statusCode() >= 500 ? 500 : response.statusCode(),
          "InternalError",
          "the kubelet of node "
              + node.path("metadata").path("name").asText()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body().strip());
    } catch (java.io.IOException e) {
      return error(
          500,
          "InternalError",
          "cannot reach the kubelet of node "
              + node.path("metadata").path("name").asText()
              + " at "
              + address
              + ":"
              + port
              + ": "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(500, "InternalError", "interrupted while reading the log");
    }
  }

  /** What the simulated node knows of a container it did not run. */
  static String simulated(JsonNode pod, String container, String nodeName) {
    StringBuilder out = new StringBuilder();
    JsonNode spec = null;
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (container.equals(c.path("name").asText())) {
        spec = c;
      }
    }
    out.append("[strata sandbox] container ")
        .append(container)
        .append(" was simulated on node ")
        .append(nodeName)
        .append(": no process ran, so there is no output of its own\n");
    if (spec != null) {
      out.append("[strata sandbox] image: ").append(spec.path("image").asText()).append('\n');
      List<String> words = new ArrayList<>();
      spec.path("command").forEach(w -> words.add(w.asText()));
      spec.path("args").forEach(w -> words.add(w.asText()));
      if (!words.isEmpty()) {
        out.append("[strata sandbox] command: ").append(String.join(" ", words)).append('\n');
      }
    }
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (!container.equals(status.path("name").asText())) {
        continue;
      }
      JsonNode state = status.path("state");
      if (state.has("running")) {
        out.append("[strata sandbox] running since ")
            .append(state.path("running").path("startedAt").asText())
            .append('\n');
      } else if (state.has("terminated")) {
        JsonNode t = state.path("terminated");
        out.append("[strata sandbox] exited with code ")
            .append(t.path("exitCode").asInt())
            .append(" (")
            .append(t.path("reason").asText())
            .append(") at ")
            .append(t.path("finishedAt").asText())
            .append('\n');
      } else if (state.has("waiting")) {
        out.append("[strata sandbox] waiting: ")
            .append(state.path("waiting").path("reason").asText())
            .append('\n');
      }
    }
    return out.toString();
  }

  private static Answer error(int code, String reason, String message) {
    return new Answer(code, StatusBodies.failure(code, reason, message).toString(), false);
  }
}
