package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Patches whole objects: JSON merge patch (RFC 7386) exactly, and strategic merge patch as far as
 * the patches kubectl computes need it.
 *
 * <p>Strategic merge patch differs from merge patch in its lists. A real server knows each list's
 * merge key from the Go types; here the key comes from the patch itself: kubectl sends a {@code
 * $setElementOrder/<list>} directive beside every keyed list it changes, and its entries carry
 * exactly the merge key. Such lists are merged element by element ({@code $patch: delete} removes
 * one); lists without that directive are replaced, as merge patch does. {@code $retainKeys}, {@code
 * $deleteFromPrimitiveList/<list>} and {@code $patch: replace|delete} on maps are honoured.
 */
public final class MergePatch {
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";

  private MergePatch() {}

  /** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  /** Strategic merge patch of {@code target}, as described in the class comment. */
  public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path(PATCH).asText("");
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode result =
        target != null && target.isObject() && !directive.equals("replace")
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    Map<String, JsonNode> orders = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals(PATCH)) {
        continue;
      }
      if (name.startsWith(SET_ORDER)) {
        orders.put(name.substring(SET_ORDER.length()), value);
      } else if (name.startsWith(DELETE_PRIMITIVE)) {
        String list = name.substring(DELETE_PRIMITIVE.length());
        if (result.get(list) instanceof ArrayNode current) {
          Set<JsonNode> drop = new HashSet<>();
          value.forEach(drop::add);
          ArrayNode kept = result.putArray(list);
          current.forEach(
              e -> {
                if (!drop.contains(e)) {
                  kept.add(e);
                }
              });
        }
      } else if (name.equals(RETAIN_KEYS)) {
        Set<String> retain = new HashSet<>();
        value.forEach(v -> retain.add(v.asText()));
        result.retain(retain);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith("$")) {
        continue;
      }
      if (value.isNull()) {
        result.remove(name);
      } else if (value.isArray() && orders.containsKey(name)) {
        result.set(name, mergeKeyedList(result.get(name), (ArrayNode) value, orders.get(name)));
      } else if (value.isObject()) {
        JsonNode merged = strategicMergePatch(result.get(name), value);
        if (merged == null) {
          result.remove(name);
        } else {
          result.set(name, merged);
        }
      } else {
        result.set(name, value.deepCopy());
      }
    }
    // An order directive alone still reorders (and may drop) the list's elements.
    for (Map.Entry<String, JsonNode> order : orders.entrySet()) {
      if (!patch.has(order.getKey()) && result.get(order.getKey()) instanceof ArrayNode current) {
        result.set(
            order.getKey(),
            mergeKeyedList(current, JsonNodeFactory.instance.arrayNode(), order.getValue()));
      }
    }
    return result;
  }

  private static JsonNode mergeKeyedList(JsonNode current, ArrayNode patch, JsonNode order) {
    String key = mergeKey(order);
    if (key == null) {
      // A primitive list: the order directive lists the final values.
      return patch.isEmpty() ? order.deepCopy() : patch.deepCopy();
    }
    Map<JsonNode, JsonNode> byKey = new LinkedHashMap<>();
    if (current instanceof ArrayNode list) {
      list.forEach(e -> byKey.put(e.path(key), e));
    }
    for (JsonNode element : patch) {
      JsonNode id = element.path(key);
      if (element.path(PATCH).asText("").equals("delete")) {
        byKey.remove(id);
        continue;
      }
      JsonNode merged = strategicMergePatch(byKey.get(id), element);
      if (merged != null) {
        byKey.put(id, merged);
      }
    }
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    List<JsonNode> ordered = new ArrayList<>();
    for (JsonNode wanted : order) {
      JsonNode element = byKey.remove(wanted.path(key));
      if (element != null) {
        ordered.add(element);
      }
    }
    // Elements the client did not list keep their place after the listed ones, as the server
    // keeps elements a patch does not mention.
    ordered.addAll(byKey.values());
    ordered.forEach(result::add);
    return result;
  }

  private static String mergeKey(JsonNode order) {
    if (!order.isArray() || order.isEmpty() || !order.get(0).isObject()) {
      return null;
    }
    Iterator<String> names = order.get(0).fieldNames();
    return names.hasNext() ? names.next() : null;
  }
}
