package dev.strata.scheduler.extender;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.strata.scheduler.extender.ExtenderWire.BadRequest;
import dev.strata.scheduler.extender.ExtenderWire.ExtenderArgs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a filter or prioritize body ({@code ExtenderArgs}) with Jackson's streaming parser: the
 * thousands of {@code NodeNames} go straight into a list of strings, and only the small {@code Pod}
 * (and {@code Nodes}, when nodes come in full) become trees. The tree reader ({@link
 * ExtenderWire#parse} then {@link ExtenderWire#extenderArgs}) built a text node and a map entry per
 * name first, which was a third of a filter's allocation.
 *
 * <p>It answers exactly as the tree reader does: the whole body is read before any field is judged,
 * so a syntax error anywhere is reported as such; a key matches exactly first, else the first key
 * equal ignoring case (the later value of a repeated key wins); errors are checked in the same
 * order with the same reasons.
 */
final class ExtenderArgsReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ExtenderArgsReader() {}

  static ExtenderArgs read(byte[] body) throws BadRequest {
    return read(body, 0, body.length);
  }

  static ExtenderArgs read(byte[] body, int offset, int length) throws BadRequest {
    if (length == 0) {
      throw new BadRequest("request body is empty; expected a JSON object");
    }
    Field pod = new Field("Pod");
    Field names = new Field("NodeNames");
    Field nodes = new Field("Nodes");
    try (JsonParser p = JSON.createParser(body, offset, length)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first != null) {
          p.skipChildren(); // a syntax error inside still reads as one, as with the tree reader
        }
        throw new BadRequest("request body must be a JSON object");
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String key = p.currentName();
        p.nextToken();
        if (pod.takes(key)) {
          pod.tree = tree(p);
        } else if (names.takes(key)) {
          readNames(p, names);
        } else if (nodes.takes(key)) {
          nodes.tree = tree(p);
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new BadRequest("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("request body cannot be read: " + e.getMessage());
    }
    return ExtenderWire.extenderArgs(
        pod.tree, names.present ? names.names : null, names.malformed, nodes.tree);
  }

  private static JsonNode tree(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return NullNode.getInstance();
    }
    return p.readValueAsTree();
  }

  private static void readNames(JsonParser p, Field field) throws IOException {
    field.present = true;
    field.malformed = false;
    field.names = null;
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      field.present = false;
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      field.malformed = true;
      p.skipChildren();
      return;
    }
    List<String> names = new ArrayList<>();
    for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.VALUE_STRING) {
        names.add(p.getText());
      } else {
        field.malformed = true;
        p.skipChildren();
      }
    }
    field.names = names;
  }

  /** One wanted key and the value the tree reader's lookup would have found for it. */
  private static final class Field {
    private final String name;
    private final String lower;
    private String insensitiveKey;
    private boolean exactSeen;
    JsonNode tree;
    boolean present;
    boolean malformed;
    List<String> names;

    Field(String name) {
      this.name = name;
      this.lower = name.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this key's value is the one to keep (so far): exact match, else first ignoring case.
     */
    boolean takes(String key) {
      if (key.equals(name)) {
        exactSeen = true;
        return true;
      }
      if (exactSeen || !key.toLowerCase(Locale.ROOT).equals(lower)) {
        return false;
      }
      if (insensitiveKey == null) {
        insensitiveKey = key;
      }
      return insensitiveKey.equals(key);
    }
  }
}
