package dev.strata.sandbox.apiserver;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server in front of the dispatcher. The mock web server fabric8 ships can only stream
 * watches over WebSockets; kubectl and client-go watch over a plain chunked HTTP response, so this
 * front serves both: a WebSocket upgrade goes to the watch listener as fabric8's server would hand
 * it, a plain watch request gets a newline-delimited JSON stream fed by the same listener.
 */
final class HttpFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
  private static final int NORMAL_CLOSURE = 1000;

  private final Vertx vertx;
  private final Dispatcher dispatcher;
  private HttpServer server;

  HttpFront(Dispatcher dispatcher) {
    this.vertx = Vertx.vertx();
    this.dispatcher = dispatcher;
  }

  /** Listens on 127.0.0.1:{@code port} (0 for any free port); returns the port. */
  int start(int port) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setWebSocketSubProtocols(
                List.of(
                    "v4.channel.k8s.io",
                    "v3.channel.k8s.io",
                    "v2.channel.k8s.io",
                    "channel.k8s.io"));
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    return await(server.listen()).actualPort();
  }

  private void handle(HttpServerRequest event) {
    event.resume();
    // Reading the body of a request without one would spoil a WebSocket upgrade.
    Future<io.vertx.core.buffer.Buffer> bodyRead =
        hasBody(event) ? event.body() : Future.succeededFuture(null);
    bodyRead
        .onFailure(err -> fail(event, err))
        .onSuccess(
            body -> {
              Headers.Builder headers = Headers.builder();
              event.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
              RecordedRequest request =
                  new RecordedRequest(
                      "HTTP/1.1",
                      HttpMethod.fromVertx(event.method()),
                      event.uri(),
                      headers.build(),
                      new Buffer(body == null ? null : body.getBytes()));
              if (isUpgrade(event)) {
                // A WebSocket upgrade must be accepted before the request ends, so in this tick;
                // opening a watch is quick.
                respond(event, request, dispatcher.dispatch(request));
                return;
              }
              vertx
                  .<MockResponse>executeBlocking(() -> dispatcher.dispatch(request), false)
                  .onFailure(err -> fail(event, err))
                  .onSuccess(response -> respond(event, request, response));
            });
  }

  private void respond(HttpServerRequest event, RecordedRequest request, MockResponse response) {
    if (response.getWebSocketListener() != null) {
      if (isUpgrade(event)) {
        event
            .toWebSocket()
            .onFailure(err -> fail(event, err))
            .onSuccess(new ServerWebSocketHandler(request, response));
      } else {
        streamWatch(event, request, response);
      }
      return;
    }
    HttpServerResponse out = event.response().setStatusCode(response.code());
    for (Map.Entry<String, List<String>> header : response.getHeaders().toMultimap().entrySet()) {
      out.headers().add(header.getKey(), header.getValue());
    }
    Buffer body = response.getBody();
    if (body != null && body.size() > 0) {
      out.end(io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
    } else {
      out.end();
    }
  }

  /** A watch as client-go reads it: one JSON event per line on a chunked response. */
  private void streamWatch(
      HttpServerRequest event, RecordedRequest request, MockResponse response) {
    Context context =
        Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
    HttpServerResponse out = event.response();
    out.setStatusCode(200).setChunked(true);
    out.putHeader("Content-Type", "application/json");
    out.putHeader("Transfer-Encoding", "chunked");
    out.write("");
    WebSocketListener listener = response.getWebSocketListener();
    AtomicBoolean closed = new AtomicBoolean();
    WebSocket stream =
        new WebSocket() {
          @Override
          public RecordedRequest request() {
            return request;
          }

          @Override
          public boolean send(String text) {
            if (closed.get()) {
              return false;
            }
            context.runOnContext(
                v -> {
                  if (!closed.get()) {
                    out.write(text + "\n");
                  }
                });
            return true;
          }

          @Override
          public boolean send(byte[] bytes) {
            return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
          }

          @Override
          public boolean close(int code, String reason) {
            if (closed.compareAndSet(false, true)) {
              context.runOnContext(v -> out.end());
            }
            return true;
          }
        };
    Runnable onGone =
        () -> {
          if (closed.compareAndSet(false, true)) {
            listener.onClosed(stream, NORMAL_CLOSURE, "client closed the watch");
          }
        };
    out.closeHandler(v -> onGone.run());
    event.connection().closeHandler(v -> onGone.run());
    long timeoutSeconds = timeoutSeconds(request.getPath());
    if (timeoutSeconds > 0) {
      vertx.setTimer(
          TimeUnit.SECONDS.toMillis(timeoutSeconds),
          id -> {
            if (closed.compareAndSet(false, true)) {
              out.end();
              listener.onClosed(stream, NORMAL_CLOSURE, "watch timed out");
            }
          });
    }
    listener.onOpen(stream, response);
  }

  private static boolean isUpgrade(HttpServerRequest event) {
    String upgrade = event.getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  private static boolean hasBody(HttpServerRequest event) {
    String length = event.getHeader("Content-Length");
    if (length != null && !length.isBlank()) {
      try {
        return Long.parseLong(length.trim()) > 0;
      } catch (NumberFormatException e) {
        return true;
      }
    }
    return event.getHeader("Transfer-Encoding") != null || event.getHeader("Content-Type") != null;
  }

  private static long timeoutSeconds(String pathAndQuery) {
    ApiPath path = ApiPath.parse(pathAndQuery);
    if (path == null || path.param("timeoutSeconds") == null) {
      return 0;
    }
    try {
      return Long.parseLong(path.param("timeoutSeconds"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void fail(HttpServerRequest event, Throwable err) {
    LOG.warn("{} {} failed", event.method(), event.uri(), err);
    if (!event.response().headWritten()) {
      event.response().setStatusCode(500).end();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      await(server.close());
    }
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the sandbox API server's HTTP front failed", e);
    }
  }
}
