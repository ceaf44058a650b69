package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.scheduler.extender.ExtenderWire.BadRequest;
import dev.strata.scheduler.extender.ExtenderWire.ExtenderArgs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming reader of filter and prioritize bodies answers exactly as the tree reader it
 * replaced: the same {@code ExtenderArgs}, or the same 400 reason, for every golden request and for
 * bodies broken in every way the two could differ on.
 */
class ExtenderArgsReaderTest {

  private static final String POD = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"team-a\"}}";

  static Stream<String> goldenRequests() throws IOException, URISyntaxException {
    Path dir = Path.of(ExtenderArgsReaderTest.class.getResource("/extender").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".request.json"))
              .sorted()
              .toList();
      assertThat(names).hasSizeGreaterThan(20);
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenRequests")
  void readsEveryGoldenRequestAsTheTreeReaderDoes(String file) throws Exception {
    assertSameAsTree(ExtenderGoldenTest.resource(file));
  }

  static Stream<String> oddBodies() {
    return Stream.of(
        "{\"Pod\": ",
        "[]",
        "[1,",
        "\"text\"",
        "42",
        "null",
        "  ",
        "{}",
        "{\"Pod\":null,\"NodeNames\":[\"a\"]}",
        "{\"Pod\":[],\"NodeNames\":[\"a\"]}",
        "{\"Pod\":{\"metadata\":{}},\"NodeNames\":[\"a\"]}",
        "{\"Pod\":" + POD + "}",
        "{\"Pod\":" + POD + ",\"NodeNames\":null,\"Nodes\":null}",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",1,\"b\"]}",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",{\"x\":[1]},\"b\"]}",
        "{\"Pod\":" + POD + ",\"NodeNames\":\"a\"}",
        "{\"Pod\":" + POD + ",\"NodeNames\":{\"a\":\"b\"}}",
        "{\"Pod\":" + POD + ",\"NodeNames\":[]}",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",1], \"x\": }",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\"]} trailing",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\"]}{\"more\":1}",
        "{\"pod\":" + POD + ",\"nodenames\":[\"a\",\"b\"]}",
        "{\"NODENAMES\":[\"x\"],\"nodeNames\":[\"y\"],\"Pod\":" + POD + "}",
        "{\"nodenames\":[\"x\"],\"NodeNames\":[\"y\"],\"Pod\":" + POD + "}",
        "{\"NodeNames\":[\"y\"],\"nodenames\":[\"x\"],\"Pod\":" + POD + "}",
        "{\"NodeNames\":[\"x\"],\"NodeNames\":[\"y\"],\"Pod\":" + POD + "}",
        "{\"nodenames\":[\"x\"],\"NODENAMES\":[1],\"nodenames\":[\"z\"],\"Pod\":" + POD + "}",
        "{\"NodeNames\":[1],\"NodeNames\":[\"y\"],\"Pod\":" + POD + "}",
        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[]}}",
        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":null}}",
        "{\"Pod\":" + POD + ",\"Nodes\":[]}",
        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[{\"metadata\":{\"name\":\"n1\"}}]}}",
        "{\"Pod\":" + POD + ",\"nodes\":{\"ITEMS\":[{\"metadata\":{}}]}}",
        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[{\"metadata\":\"x\"}]}}",
        "{\"Pod\":{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":\"x\"}},"
            + "\"NodeNames\":[\"a\"]}",
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"caf\\u00e9\",\"a\\\"b\",\"\\ud83d\\ude00\"]}");
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("oddBodies")
  void readsOddBodiesAsTheTreeReaderDoes(String body) {
    assertSameAsTree(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSyntaxErrorAfterBadNamesIsStillReportedAsASyntaxError() {
    byte[] body =
        ("{\"Pod\":" + POD + ",\"NodeNames\":[1], \"x\": }").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ExtenderArgsReader.read(body))
        .isInstanceOf(BadRequest.class)
        .hasMessageStartingWith("request body is not valid JSON: ");
  }

  @Test
  void readsNamesInOrderFromAnOffsetIntoALargerArray() throws Exception {
    byte[] body =
        ("xx{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"n2\",\"n1\",\"n3\"]}yy")
            .getBytes(StandardCharsets.UTF_8);
    ExtenderArgs args = ExtenderArgsReader.read(body, 2, body.length - 4);
    assertThat(args.nodeNames()).containsExactly("n2", "n1", "n3");
    assertThat(args.nodes()).isNull();
    assertThat(args.pod().getMetadata().getName()).isEqualTo("p");
    assertThat(args.pod().getMetadata().getNamespace()).isEqualTo("team-a");
  }

  @Test
  void anEmptyBodyIsRefusedWithTheTreeReadersReason() {
    assertThatThrownBy(() -> ExtenderArgsReader.read(new byte[0]))
        .isInstanceOf(BadRequest.class)
        .hasMessage("request body is empty; expected a JSON object");
    assertThatThrownBy(() -> ExtenderArgsReader.read(new byte[] {'[', ']'}))
        .isInstanceOf(BadRequest.class)
        .hasMessage("request body must be a JSON object");
  }

  /** Both readers give equal args, or both refuse with the same reason. */
  private static void assertSameAsTree(byte[] body) {
    Object tree;
    try {
      tree = ExtenderWire.extenderArgs(ExtenderWire.parse(body));
    } catch (BadRequest e) {
      tree = "400: " + e.getMessage();
    }
    Object streamed;
    try {
      streamed = ExtenderArgsReader.read(body);
    } catch (BadRequest e) {
      streamed = "400: " + e.getMessage();
    }
    assertThat(streamed).isEqualTo(tree);
  }
}
