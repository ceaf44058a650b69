package dev.strata.virtualnode.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet endpoints the tenant API server calls for this node: {@code GET
 * /containerLogs/{namespace}/{pod}/{container}} streams the compute pod's log (follow, tailLines,
 * timestamps, previous, sinceSeconds, sinceTime, limitBytes). Every request is authenticated and
 * authorized as a kubelet does ({@link KubeletAuth}); {@code /healthz} alone is open. Exec, attach
 * and port-forward need a streaming (SPDY/WebSocket) proxy and answer 501.
 */
public final class KubeletServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);

  private final HttpServer server;
  private final ExecutorService workers;
  private final KubernetesClient tenant;
  private final KubernetesClient compute;
  private final String nodeName;
  private final KubeletAuth auth;
  private final ComputePodLocator locator;

  private KubeletServer(
      HttpServer server,
      KubernetesClient tenant,
      KubernetesClient compute,
      String nodeName,
      ComputePodLocator locator) {
    this.server = server;
    this.tenant = tenant;
    this.compute = compute;
    this.nodeName = nodeName;
    this.locator = locator;
    this.auth = new KubeletAuth(tenant, nodeName);
    // Followed logs hold a thread each for as long as the caller reads.
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kubelet-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * Starts the endpoints on {@code address}; over TLS when {@code tls} is not null (production: the
   * API server only calls kubelets over HTTPS), plain HTTP otherwise (the sandbox).
   */
  public static KubeletServer start(
      InetSocketAddress address,
      SSLContext tls,
      KubernetesClient tenant,
      KubernetesClient compute,
      String nodeName,
      ComputePodLocator locator)
      throws IOException {
    HttpServer server;
    if (tls == null) {
      server = HttpServer.create(address, 64);
    } else {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              // Ask for, not require, a client certificate: bearer tokens are fine too. (Set on
              // the SSLParameters: once those are given, the other HttpsParameters are ignored.)
              javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
              ssl.setWantClientAuth(true);
              params.setSSLParameters(ssl);
            }
          });
      server = https;
    }
    KubeletServer kubelet = new KubeletServer(server, tenant, compute, nodeName, locator);
    server.start();
    LOG.info("kubelet endpoints on {} ({})", server.getAddress(), tls == null ? "http" : "https");
    return kubelet;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) {
    try {
      serve(exchange);
    } catch (IOException e) {
      // The caller went away (a followed log stopped by ^C): nothing to answer.
      LOG.debug("kubelet request ended: {}", e.getMessage());
    } catch (KubernetesClientException e) {
      // Refused by the tenant-scope guard (403) or failed in the compute cluster.
      LOG.warn("kubelet request failed: {}", e.getMessage());
      reply(exchange, e.getCode() > 0 ? e.getCode() : 502, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("kubelet request failed", e);
      reply(exchange, 500, "internal error: " + e.getMessage());
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/healthz")) {
        reply(exchange, 200, "ok");
        return;
      }
      Optional<KubeletUser> user;
      try {
        user = auth.authenticate(exchange);
      } catch (KubernetesClientException e) {
        LOG.warn("TokenReview failed: {}", e.getMessage());
        reply(
            exchange,
            503,
            "cannot authenticate: the tenant API server did not answer the TokenReview");
        return;
      }
      if (user.isEmpty()) {
        reply(exchange, 401, "Unauthorized");
        return;
      }
      RequestAttributes attributes = RequestAttributes.of(exchange.getRequestMethod(), path);
      boolean allowed;
      try {
        allowed = auth.authorize(user.get(), attributes);
      } catch (KubernetesClientException e) {
        LOG.warn("SubjectAccessReview failed: {}", e.getMessage());
        reply(
            exchange,
            503,
            "cannot authorize: the tenant API server did not answer the SubjectAccessReview");
        return;
      }
      if (!allowed) {
        reply(
            exchange,
            403,
            "Forbidden (user="
                + user.get().username()
                + ", verb="
                + attributes.verb()
                + ", resource=nodes, subresource="
                + attributes.subresource()
                + ")");
        return;
      }
      route(exchange, path);
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    if (path.startsWith(ContainerLogsRequest.PREFIX)) {
      if (!exchange.getRequestMethod().equals("GET")) {
        reply(exchange, 405, "only GET");
        return;
      }
      containerLogs(exchange, path);
      return;
    }
    for (String streaming : new String[] {"/exec/", "/attach/", "/portForward/", "/run/"}) {
      if (path.startsWith(streaming)) {
        reply(
            exchange,
            501,
            "the Strata virtual node does not proxy "
                + streaming.replace("/", "")
                + " (it needs a SPDY/WebSocket stream); use kubectl logs");
        return;
      }
    }
    reply(exchange, 404, "not found: " + path);
  }

  private void containerLogs(HttpExchange exchange, String path) throws IOException {
    ContainerLogsRequest request;
    try {
      request = ContainerLogsRequest.parse(path, exchange.getRequestURI().getRawQuery());
    } catch (ContainerLogsRequest.Invalid e) {
      reply(exchange, 400, e.getMessage());
      return;
    }
    Pod pod = tenant.pods().inNamespace(request.namespace()).withName(request.pod()).get();
    if (pod == null || pod.getSpec() == null || !nodeName.equals(pod.getSpec().getNodeName())) {
      reply(
          exchange,
          404,
          "pod " + request.namespace() + "/" + request.pod() + " is not on node " + nodeName);
      return;
    }
    boolean knownContainer =
        Stream.of(pod.getSpec().getContainers(), pod.getSpec().getInitContainers())
            .filter(java.util.Objects::nonNull)
            .flatMap(java.util.List::stream)
            .map(Container::getName)
            .anyMatch(request.container()::equals);
    if (!knownContainer) {
      reply(
          exchange,
          400,
          "container " + request.container() + " is not valid for pod " + request.pod());
      return;
    }
    Optional<ComputePodRef> target = locator.locate(pod);
    if (target.isEmpty()) {
      reply(
          exchange,
          404,
          "pod "
              + request.namespace()
              + "/"
              + request.pod()
              + " has not reached the compute cluster yet");
      return;
    }
    streamComputeLog(exchange, request, target.get());
  }

  private void streamComputeLog(
      HttpExchange exchange, ContainerLogsRequest request, ComputePodRef target)
      throws IOException {
    HttpClient http = compute.getHttpClient();
    URI uri =
        URI.create(
            compute.getMasterUrl().toString().replaceAll("/+$", "")
                + "/api/v1/namespaces/"
                + target.namespace()
                + "/pods/"
                + target.name()
                + "/log?"
                + request.computeLogQuery());
    HttpRequest logRequest = http.newHttpRequestBuilder().uri(uri).build();
    HttpResponse<InputStream> response;
    try {
      response = http.sendAsync(logRequest, InputStream.class).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      int code =
          cause instanceof KubernetesClientException kce && kce.getCode() > 0 ? kce.getCode() : 502;
      reply(exchange, code, "compute cluster: " + cause.getMessage());
      return;
    } catch (TimeoutException e) {
      reply(exchange, 504, "compute cluster did not answer the log request");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 503, "interrupted");
      return;
    }
    try (InputStream body = response.body()) {
      if (response.code() != 200) {
        byte[] error = body == null ? new byte[0] : body.readAllBytes();
        reply(exchange, response.code(), new String(error, StandardCharsets.UTF_8));
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      byte[] buffer = new byte[8192];
      int read;
      while ((read = body.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        // Flush every chunk: a followed log must reach kubectl as it is written.
        out.flush();
      }
    }
  }

  private static void reply(HttpExchange exchange, int code, String text) {
    try {
      byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      LOG.debug("could not answer: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
