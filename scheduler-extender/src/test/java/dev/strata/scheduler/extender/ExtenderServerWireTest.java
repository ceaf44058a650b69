package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the server's reused per-thread buffer and the benchmark's blocking client must get right on
 * the wire: answers with a Content-Length, several requests of different sizes on one keep-alive
 * connection, chunked request bodies within and over the limit.
 */
class ExtenderServerWireTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private ExtenderServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new ExtenderServer(
                Fixture.service(Fixture.view(), PodBinder.NONE), "127.0.0.1", 0, 1, "v", 64 * 1024)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersOfEverySizeKeepTheirOwnBytesOnOneKeepAliveConnection() throws Exception {
    // One worker thread: every request below goes through the same reused buffer.
    try (BlockingHttpClient client = new BlockingHttpClient("127.0.0.1", server.port())) {
      for (String name :
          new String[] {
            "filter-full-nodes",
            "filter-node-names",
            "error-no-pod",
            "prioritize-one-feasible",
            "filter-full-nodes",
            "error-node-names-not-strings"
          }) {
        String verb = name.startsWith("prioritize") ? "prioritize" : "filter";
        BlockingHttpClient.Response r =
            client.post("/" + verb, ExtenderGoldenTest.resource(name + ".request.json"));
        assertThat(r.status()).as(name).isEqualTo(name.startsWith("error") ? 400 : 200);
        JsonNode answer = JSON.readTree(new ByteArrayInputStream(r.body(), 0, r.length()));
        assertThat(answer)
            .as(name)
            .isEqualTo(JSON.readTree(ExtenderGoldenTest.resource(name + ".response.json")));
      }
    }
  }

  @Test
  void answersCarryAContentLengthNotChunks() throws Exception {
    byte[] body = ExtenderGoldenTest.resource("filter-node-names.request.json");
    String head = exchange(fixedRequest("/filter", body));
    assertThat(head).startsWith("HTTP/1.1 200");
    assertThat(head.toLowerCase()).contains("content-length:").doesNotContain("transfer-encoding");
  }

  @Test
  void aChunkedBodyIsReadWholeAndOneOverTheLimitIs413() throws Exception {
    byte[] body = ExtenderGoldenTest.resource("filter-node-names.request.json");
    String ok = exchange(chunkedRequest("/filter", body, 7));
    assertThat(ok).startsWith("HTTP/1.1 200");

    byte[] big = new byte[70 * 1024];
    Arrays.fill(big, (byte) ' ');
    String tooLarge = exchange(chunkedRequest("/filter", big, 8 * 1024));
    assertThat(tooLarge).startsWith("HTTP/1.1 413");
    assertThat(tooLarge).contains("request body is larger than 65536 bytes");
  }

  @Test
  void theBlockingClientReadsChunkedAnswers() throws Exception {
    HttpServer chunky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    chunky.createContext(
        "/",
        exchange -> {
          byte[] in = exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 0); // 0: chunked
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < in.length; i += 5) {
              out.write(in, i, Math.min(5, in.length - i));
              out.flush();
            }
          }
        });
    chunky.start();
    try (BlockingHttpClient client =
        new BlockingHttpClient("127.0.0.1", chunky.getAddress().getPort())) {
      for (String text : new String[] {"{\"NodeNames\":[\"a\",\"b\",\"c\"]}", "[]"}) {
        BlockingHttpClient.Response r = client.post("/x", text.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), 0, r.length(), StandardCharsets.UTF_8)).isEqualTo(text);
      }
    } finally {
      chunky.stop(0);
    }
  }

  private static byte[] fixedRequest(String path, byte[] body) {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private static byte[] chunkedRequest(String path, byte[] body, int chunk) {
    StringBuilder b = new StringBuilder();
    b.append("POST ")
        .append(path)
        .append(" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        .append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    byte[] out = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < body.length; i += chunk) {
      int n = Math.min(chunk, body.length - i);
      out = concat(out, (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out = concat(out, Arrays.copyOfRange(body, i, i + n));
      out = concat(out, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    return concat(out, "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends raw bytes, returns the whole answer as text (the server closes after it). */
  private String exchange(byte[] request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
