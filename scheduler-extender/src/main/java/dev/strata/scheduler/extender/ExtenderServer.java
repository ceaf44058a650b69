package dev.strata.scheduler.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender's HTTP front on the JDK's HTTP server: {@code POST /filter}, {@code /prioritize},
 * {@code /bind}, {@code /preempt} as kube-scheduler calls them ({@code urlPrefix + "/" + verb}),
 * and {@code GET /healthz}, {@code /version}.
 *
 * <p>Errors are 4xx with a reason, never a 500: 400 for a body that is not the verb's JSON (the
 * body is {@code {"Error":"reason"}}), 404 for an unknown path, 405 for another method, 413 for a
 * body over {@link #MAX_BODY_BYTES}, 415 for a content type other than JSON. A request that stops
 * sending is cut off after {@code sun.net.httpserver.maxReqTime} (set here to {@value
 * #REQUEST_TIMEOUT_SECONDS} s unless given), so a stalled client cannot hold a thread.
 */
public final class ExtenderServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExtenderServer.class);

  /** Verbs and the paths they are served on; deploy/kube-scheduler names the same. */
  public static final String FILTER = "filter";

  public static final String PRIORITIZE = "prioritize";
  public static final String BIND = "bind";
  public static final String PREEMPT = "preempt";

  /** 5,000 nodes' names in a nodeCacheCapable request are about 100 KB; full nodes far more. */
  public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  static final int REQUEST_TIMEOUT_SECONDS = 10;

  static final String NOT_LEADING =
      "Strata extender: this replica is not the leader; the Service sends requests to the ready"
          + " (leading) replica";

  static {
    // Read once by the JDK server's configuration: bounds how long one request may take to arrive.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty(
          "sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_TIMEOUT_SECONDS));
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty(
          "sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_TIMEOUT_SECONDS));
    } // The server writes an answer's headers and body separately; with Nagle's algorithm the last
    // small segment can wait for the client's delayed ACK, some 40 ms, on any answer.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Each worker thread's buffer for request bodies and answers, reused between requests. */
  private static final ThreadLocal<WireBuffer> BUFFER = ThreadLocal.withInitial(WireBuffer::new);

  private final ExtenderService service;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String version;
  private final int maxBodyBytes;

  /** Whether this replica serves the verbs; only the leader does when replicas elect one. */
  private volatile BooleanSupplier leading = () -> true;

  /**
   * @param port 0 for any free port ({@link #port()} tells which)
   */
  public ExtenderServer(ExtenderService service, String host, int port, int threads, String version)
      throws IOException {
    this(service, host, port, threads, version, MAX_BODY_BYTES);
  }

  ExtenderServer(
      ExtenderService service, String host, int port, int threads, String version, int maxBodyBytes)
      throws IOException {
    this.service = service;
    this.version = version;
    this.maxBodyBytes = maxBodyBytes;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "strata-extender-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Serves the verbs only while {@code leading} says so: the others answer 503, and {@code GET
   * /readyz} tells the Service to send kube-scheduler to the leader only.
   */
  public ExtenderServer leadingWhen(BooleanSupplier leading) {
    this.leading = leading;
    return this;
  }

  public ExtenderServer start() {
    server.start();
    LOG.info("Strata scheduler extender listening on port {}", port());
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String verb = path.replaceAll("^/+|/+$", "");
      String method = exchange.getRequestMethod();
      switch (verb) {
        case "healthz" -> {
          if (!method.equals("GET")) {
            text(exchange, 405, "use GET for /healthz", "GET");
            return;
          }
          text(exchange, 200, "ok", null);
        }
        case "readyz" -> {
          if (!method.equals("GET")) {
            text(exchange, 405, "use GET for /readyz", "GET");
            return;
          }
          if (leading.getAsBoolean()) {
            text(exchange, 200, "ok", null);
          } else {
            text(exchange, 503, NOT_LEADING, null);
          }
        }
        case "version" -> {
          if (!method.equals("GET")) {
            text(exchange, 405, "use GET for /version", "GET");
            return;
          }
          text(exchange, 200, version, null);
        }
        case FILTER, PRIORITIZE, BIND, PREEMPT -> {
          if (!leading.getAsBoolean()) {
            // Its plans and binds would race the leader's; kube-scheduler retries the pod.
            json(exchange, 503, ExtenderWire.bindingResult(NOT_LEADING));
            return;
          }
          verb(exchange, verb, method);
        }
        default ->
            text(
                exchange,
                404,
                "no such path "
                    + path
                    + "; the extender serves POST /filter, /prioritize, /bind, /preempt and GET"
                    + " /healthz, /readyz, /version",
                null);
      }
    } catch (RuntimeException e) {
      // A bug must not turn into a 500 that kube-scheduler cannot explain: say what failed.
      LOG.error("extender request {} failed", exchange.getRequestURI(), e);
      try {
        json(
            exchange,
            400,
            ExtenderWire.bindingResult("Strata extender could not handle the request: " + e));
      } catch (IOException | RuntimeException ignored) {
        // The response was already under way; the connection closes.
      }
    }
  }

  private void verb(HttpExchange exchange, String verb, String method) throws IOException {
    if (!method.equals("POST")) {
      text(exchange, 405, "use POST for /" + verb, "POST");
      return;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      json(
          exchange,
          415,
          ExtenderWire.bindingResult("Content-Type must be application/json, not " + type));
      return;
    }
    WireBuffer buffer = BUFFER.get();
    try {
      if (!buffer.readFrom(exchange.getRequestBody(), contentLength(exchange), maxBodyBytes)) {
        json(
            exchange,
            413,
            ExtenderWire.bindingResult("request body is larger than " + maxBodyBytes + " bytes"));
        return;
      }
      switch (verb) {
        case FILTER, PRIORITIZE -> {
          ExtenderWire.ExtenderArgs args;
          try {
            args = ExtenderArgsReader.read(buffer.array(), 0, buffer.size());
          } catch (ExtenderWire.BadRequest e) {
            json(exchange, 400, ExtenderWire.bindingResult(e.getMessage()));
            return;
          }
          // The body has been read into objects; the same array now takes the answer.
          buffer.reset();
          if (verb.equals(FILTER)) {
            ExtenderWire.write(service.filter(args), buffer);
          } else {
            ExtenderWire.write(service.prioritize(args), buffer);
          }
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          send(exchange, 200, buffer.array(), buffer.size());
        }
        default -> {
          byte[] body = Arrays.copyOf(buffer.array(), buffer.size());
          byte[] answer;
          try {
            JsonNode root = ExtenderWire.parse(body);
            answer =
                verb.equals(BIND)
                    ? ExtenderWire.bindingResult(service.bind(ExtenderWire.bindingArgs(root)))
                    : ExtenderWire.write(service.preempt(ExtenderWire.preemptionArgs(root)));
          } catch (ExtenderWire.BadRequest e) {
            json(exchange, 400, ExtenderWire.bindingResult(e.getMessage()));
            return;
          }
          json(exchange, 200, answer);
        }
      }
    } finally {
      buffer.trim();
    }
  }

  /** The announced body length, or -1 when none (chunked) or unreadable. */
  private static long contentLength(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        return Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        // The server has already rejected a malformed length.
      }
    }
    return -1;
  }

  private static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, body);
  }

  private static void text(HttpExchange exchange, int status, String message, String allow)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (allow != null) {
      exchange.getResponseHeaders().set("Allow", allow);
    }
    send(exchange, status, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    send(exchange, status, body, body.length);
  }

  /** Sends with a Content-Length, never chunked: the client reads the answer in one go. */
  private static void send(HttpExchange exchange, int status, byte[] body, int length)
      throws IOException {
    exchange.sendResponseHeaders(status, length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body, 0, length);
    }
  }
}
