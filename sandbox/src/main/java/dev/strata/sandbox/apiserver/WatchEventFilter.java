package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.Function;

/**
 * Turns the CRUD mock's watch events into what kube-apiserver would send for the request: no replay
 * of objects at or below the requested resourceVersion (the mock replays every object as ADDED when
 * a watch opens), only objects that match the field selector, and objects as Table rows when the
 * client asked for Tables.
 */
final class WatchEventFilter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long afterResourceVersion;
  private final FieldSelector fieldSelector;
  private final Function<JsonNode, JsonNode> objectTransform;

  /**
   * @param afterResourceVersion drop objects at or below this version; 0 keeps all
   * @param objectTransform e.g. object to Table; identity when none was asked for
   */
  WatchEventFilter(
      long afterResourceVersion,
      FieldSelector fieldSelector,
      Function<JsonNode, JsonNode> objectTransform) {
    this.afterResourceVersion = afterResourceVersion;
    this.fieldSelector = fieldSelector;
    this.objectTransform = objectTransform;
  }

  /** The event to send, or null to send nothing. */
  String apply(String eventJson) {
    JsonNode event;
    try {
      event = JSON.readTree(eventJson);
    } catch (IOException e) {
      return eventJson;
    }
    JsonNode object = event.path("object");
    // Only the replay of existing objects is dropped: the mock sends DELETED with the object's
    // last version, which may well be older than the watch.
    if (afterResourceVersion > 0 && "ADDED".equals(event.path("type").asText())) {
      long version = resourceVersion(object);
      if (version > 0 && version <= afterResourceVersion) {
        return null;
      }
    }
    if (!fieldSelector.matches(object)) {
      // An object that stops matching would need a DELETED event; the sandbox's clients do not
      // rely on that, so it is simply not sent.
      return null;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("type", event.path("type").asText());
    out.set("object", objectTransform.apply(object));
    return out.toString();
  }

  static long resourceVersion(JsonNode object) {
    try {
      return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
