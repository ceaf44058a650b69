package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transport-level errors: whatever arrives, the server answers 4xx with a reason (never a 500) or
 * closes a stalled connection, and keeps serving afterwards.
 */
class ExtenderHttpErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private ExtenderServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new ExtenderServer(
                Fixture.service(Fixture.view(), PodBinder.NONE), "127.0.0.1", 0, 2, "v-test", 1024)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).get("Error").asText();
  }

  @Test
  void malformedJsonIs400WithTheParserReason() throws Exception {
    HttpResponse<String> r = send("POST", "/filter", "application/json", "{\"Pod\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).startsWith("request body is not valid JSON: ");
  }

  @Test
  void emptyBodyIs400() throws Exception {
    HttpResponse<String> r = send("POST", "/bind", "application/json", "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("request body is empty; expected a JSON object");
  }

  @Test
  void podOfTheWrongShapeIs400() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/filter",
            "application/json",
            "{\"Pod\":{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":\"x\"}},\"NodeNames\":[]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).startsWith("Pod is not a valid Pod: ");
  }

  @Test
  void anotherContentTypeIs415() throws Exception {
    HttpResponse<String> r = send("POST", "/filter", "text/plain", "{}");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(error(r)).isEqualTo("Content-Type must be application/json, not text/plain");
  }

  @Test
  void unknownVerbIs404AndGetOnAVerbIs405() throws Exception {
    HttpResponse<String> unknown = send("POST", "/schedule", "application/json", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).startsWith("no such path /schedule;");

    HttpResponse<String> get = send("GET", "/filter", null, null);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(get.body()).isEqualTo("use POST for /filter\n");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = "{\"NodeNames\":[\"" + "n".repeat(2000) + "\"]}";
    HttpResponse<String> r = send("POST", "/prioritize", "application/json", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r)).isEqualTo("request body is larger than 1024 bytes");
  }

  @Test
  void healthAndVersion() throws Exception {
    assertThat(send("GET", "/healthz", null, null).body()).isEqualTo("ok\n");
    assertThat(send("GET", "/version", null, null).body()).isEqualTo("v-test\n");
    assertThat(send("POST", "/healthz", "application/json", "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void aStalledRequestIsCutOffAndTheServerStillAnswers() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /filter HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"Pod\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The client never sends the rest: the server must end the exchange, not wait forever.
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
      }
      assertThat(n).isEqualTo(-1);
    }
    assertThat(send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
  }
}
