package dev.strata.sandbox.apiserver;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * Wraps the CRUD mock's watch listener so that every event it sends passes a {@link
 * WatchEventFilter} first, whatever carries the events (a WebSocket or an HTTP stream).
 */
final class FilteringWatchListener extends WebSocketListener {
  private final WebSocketListener delegate;
  private final WatchEventFilter filter;
  private volatile WebSocket wrapped;

  FilteringWatchListener(WebSocketListener delegate, WatchEventFilter filter) {
    this.delegate = delegate;
    this.filter = filter;
  }

  private WebSocket wrap(WebSocket socket) {
    WebSocket current = wrapped;
    if (current == null) {
      current =
          new WebSocket() {
            @Override
            public RecordedRequest request() {
              return socket.request();
            }

            @Override
            public boolean send(String text) {
              String out = filter.apply(text);
              return out == null || socket.send(out);
            }

            @Override
            public boolean send(byte[] bytes) {
              return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public boolean close(int code, String reason) {
              return socket.close(code, reason);
            }
          };
      wrapped = current;
    }
    return current;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrap(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(wrap(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    delegate.onFailure(wrap(webSocket), error, response);
  }
}
