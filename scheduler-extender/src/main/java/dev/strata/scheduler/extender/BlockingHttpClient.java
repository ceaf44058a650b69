package dev.strata.scheduler.extender;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A plain blocking HTTP/1.1 client on one keep-alive socket, as kube-scheduler's Go {@code
 * net/http} client calls an extender: the request with a Content-Length written in one go, then the
 * status line, headers and a Content-Length or chunked body read on the calling thread. No selector
 * thread, no executor, no futures: what the benchmark times is the server's work and the socket,
 * not a client's own machinery. For the benchmark only; it knows no redirects, TLS or {@code 100
 * Continue}.
 */
final class BlockingHttpClient implements AutoCloseable {

  /** One answer: the status and the body bytes in {@code body[0..length)}. */
  record Response(int status, byte[] body, int length) {}

  private final String host;
  private final int port;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
  private byte[] body = new byte[64 * 1024];
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  BlockingHttpClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * POSTs {@code json} to {@code path}. The returned body array is reused by the next call.
   *
   * @throws IOException also when the server closed the connection (no retry: a benchmark must not
   *     hide a failure)
   */
  Response post(String path, byte[] json) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(30_000);
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = socket.getOutputStream();
    }
    head.reset();
    head.writeBytes(
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                + "Content-Length: "
                + json.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    head.writeBytes(json);
    head.writeTo(out);
    out.flush();
    return readResponse();
  }

  private Response readResponse() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    int size;
    if (chunked) {
      size = 0;
      for (int chunk = chunkSize(); chunk > 0; chunk = chunkSize()) {
        ensure(size + chunk);
        readFully(size, chunk);
        size += chunk;
        line(); // the CRLF after the chunk
      }
      for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
        // trailers are not used
      }
    } else if (length >= 0) {
      size = (int) length;
      ensure(size);
      readFully(0, size);
    } else {
      throw new IOException("answer has neither Content-Length nor chunked encoding");
    }
    if (close) {
      close();
    }
    return new Response(code, body, size);
  }

  private int chunkSize() throws IOException {
    String line = line();
    int semicolon = line.indexOf(';');
    return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
  }

  private void ensure(int size) {
    if (body.length < size) {
      body = java.util.Arrays.copyOf(body, Math.max(size, 2 * body.length));
    }
  }

  private void readFully(int offset, int length) throws IOException {
    int done = 0;
    while (done < length) {
      int n = in.read(body, offset + done, length - done);
      if (n < 0) {
        throw new IOException("connection closed in the middle of an answer");
      }
      done += n;
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed before the answer's headers ended");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
