package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.extender.ExtenderWire.FilterResult;
import dev.strata.scheduler.extender.ExtenderWire.HostPriority;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers written byte by byte into the server's buffer are the very bytes Jackson's generator
 * writes, whether every string is plain or one needs escaping (then the generator writes it), and
 * after other content already in the buffer.
 */
class PlainAnswersTest {

  static Stream<List<String>> names() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(String.format("gpu-%05d.rack-%d", i, i % 7));
    }
    return Stream.of(
        List.of(),
        List.of("a"),
        many,
        List.of("gpu-1", "quote\"d"),
        List.of("back\\slash", "gpu-2"),
        List.of("caf\u00e9"),
        List.of("tab\there"),
        List.of("del\u007f"),
        List.of("emoji\ud83d\ude00", "gpu-3"),
        List.of("slash/ok", "<html>&"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void filterAnswersAreWhatTheGeneratorWrites(List<String> names) {
    Map<String, String> failed = new LinkedHashMap<>();
    for (String n : names) {
      failed.put("x" + n, "Insufficient nvidia.com/gpu: " + n.length() + " free");
    }
    Map<String, String> unresolvable = new HashMap<>();
    unresolvable.put("node-z", names.isEmpty() ? "none" : names.get(names.size() - 1));
    for (FilterResult result :
        List.of(
            new FilterResult(names, null, failed, unresolvable, ""),
            new FilterResult(names, null, Map.of(), Map.of(), "an error: " + names),
            new FilterResult(null, null, null, null, null),
            new FilterResult(names, null, null, failed, null))) {
      WireBuffer buffer = new WireBuffer();
      buffer.ascii("previous");
      buffer.reset();
      buffer.ascii("HEAD");
      ExtenderWire.write(result, buffer);
      assertThat(text(buffer)).isEqualTo("HEAD" + text(ExtenderWire.write(result)));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void prioritizeAnswersAreWhatTheGeneratorWrites(List<String> names) {
    List<HostPriority> priorities = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      priorities.add(new HostPriority(names.get(i), i % 11 - (i == 3 ? 20 : 0)));
    }
    WireBuffer buffer = new WireBuffer();
    ExtenderWire.write(priorities, buffer);
    assertThat(text(buffer)).isEqualTo(text(ExtenderWire.write(priorities)));
  }

  private static String text(WireBuffer buffer) {
    return text(Arrays.copyOf(buffer.array(), buffer.size()));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
