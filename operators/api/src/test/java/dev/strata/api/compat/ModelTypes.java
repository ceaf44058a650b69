package dev.strata.api.compat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What Java type our model binds to each place of a JSON document, found from the classes' Jackson
 * annotations. The round-trip test uses it to tell typed fields from fields that only survive in a
 * fabric8 {@code additionalProperties} map, and to recognise Quantity fields.
 */
final class ModelTypes {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JavaType root;

  ModelTypes(Class<?> rootClass) {
    this.root = MAPPER.constructType(rootClass);
  }

  /**
   * The type bound at {@code pointer} (a JSON pointer into a document of the root class), or null
   * when some step of it is not a declared property, map value or list item.
   */
  JavaType typeAt(String pointer) {
    JavaType type = root;
    if (pointer.isEmpty()) {
      return type;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      String step = raw.replace("~1", "/").replace("~0", "~");
      type = child(type, step);
      if (type == null) {
        return null;
      }
    }
    return type;
  }

  /**
   * The JSON pointers of every object member in {@code document} that our model does not declare:
   * such a member is either dropped or kept only in an untyped {@code additionalProperties} map.
   */
  List<String> undeclaredMembers(JsonNode document) {
    List<String> out = new ArrayList<>();
    collectUndeclared(document, root, "", out);
    return out;
  }

  private void collectUndeclared(JsonNode node, JavaType type, String pointer, List<String> out) {
    if (isLeaf(type) || isFreeForm(type)) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        String childPointer = pointer + "/" + escape(member.getKey());
        JavaType childType = child(type, member.getKey());
        if (childType == null) {
          out.add(childPointer);
        } else {
          collectUndeclared(member.getValue(), childType, childPointer, out);
        }
      }
    } else if (node.isArray()) {
      JavaType itemType = child(type, "0");
      for (int i = 0; i < node.size(); i++) {
        if (itemType == null) {
          out.add(pointer + "/" + i);
        } else {
          collectUndeclared(node.get(i), itemType, pointer + "/" + i, out);
        }
      }
    }
  }

  static boolean isQuantity(JavaType type) {
    return type != null && Quantity.class.isAssignableFrom(type.getRawClass());
  }

  /** Types with their own JSON form, which is a scalar: nothing to descend into. */
  private static boolean isLeaf(JavaType type) {
    Class<?> raw = type.getRawClass();
    return raw.isPrimitive()
        || raw.isEnum()
        || raw == String.class
        || Number.class.isAssignableFrom(raw)
        || raw == Boolean.class
        || raw == Quantity.class
        || raw == IntOrString.class;
  }

  /** Types that accept any JSON on purpose (Object, JsonNode, a Map of Object). */
  private static boolean isFreeForm(JavaType type) {
    Class<?> raw = type.getRawClass();
    return raw == Object.class
        || JsonNode.class.isAssignableFrom(raw)
        || (type.isMapLikeType() && type.getContentType().getRawClass() == Object.class);
  }

  private static JavaType child(JavaType type, String step) {
    if (type.isMapLikeType()) {
      return type.getContentType();
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return step.chars().allMatch(Character::isDigit) ? type.getContentType() : null;
    }
    if (isLeaf(type) || isFreeForm(type) || type.getRawClass().getName().startsWith("java.")) {
      return null;
    }
    BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
    for (BeanPropertyDefinition property : bean.findProperties()) {
      if (property.getName().equals(step)) {
        return property.getPrimaryType();
      }
    }
    return null;
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
