package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WatchEventFilterTest {
  private static String event(String type, String name, int version, String node) {
    return "{\"type\":\""
        + type
        + "\",\"object\":{\"metadata\":{\"name\":\""
        + name
        + "\",\"resourceVersion\":\""
        + version
        + "\"},\"spec\":{\"nodeName\":\""
        + node
        + "\"}}}";
  }

  @Test
  void theReplayOfObjectsTheClientListedIsDropped() {
    WatchEventFilter filter =
        new WatchEventFilter(10, FieldSelector.parse(null), Function.identity());
    assertThat(filter.apply(event("ADDED", "old", 7, "n1"))).isNull();
    assertThat(filter.apply(event("ADDED", "new", 11, "n1"))).contains("\"new\"");
    assertThat(filter.apply(event("MODIFIED", "old", 12, "n1"))).contains("MODIFIED");
    // the mock reports a deletion with the object's last version
    assertThat(filter.apply(event("DELETED", "old", 7, "n1"))).contains("DELETED");
  }

  @Test
  void withoutAVersionEverythingIsSentAndFieldSelectorsApply() {
    WatchEventFilter filter =
        new WatchEventFilter(0, FieldSelector.parse("spec.nodeName=n2"), Function.identity());
    assertThat(filter.apply(event("ADDED", "a", 3, "n1"))).isNull();
    assertThat(filter.apply(event("ADDED", "b", 3, "n2"))).contains("\"b\"");
  }

  @Test
  void objectsAreTransformedForTheClient() {
    WatchEventFilter filter =
        new WatchEventFilter(
            0,
            FieldSelector.parse(null),
            o ->
                JsonNodeFactory.instance.textNode(
                    "row of " + o.path("metadata").path("name").asText()));
    assertThat(filter.apply(event("ADDED", "a", 3, "n1")))
        .isEqualTo("{\"type\":\"ADDED\",\"object\":\"row of a\"}");
  }
}
