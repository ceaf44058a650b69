package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the Kubernetes protobuf request bodies that kubectl's typed commands send ({@code kubectl
 * create namespace|configmap|secret|serviceaccount}) into JSON. Only these kinds are known; other
 * protobuf bodies are refused with 415 by the caller. The wire format is the {@code k8s\0} magic,
 * then a {@code runtime.Unknown} envelope whose {@code raw} field holds the object.
 */
final class ProtobufBodies {
  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProtobufBodies() {}

  /** The object as JSON, or null when the body is not a protobuf object of a known kind. */
  static ObjectNode decode(byte[] body) {
    if (body == null || body.length < MAGIC.length) {
      return null;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return null;
      }
    }
    try {
      Wire envelope = new Wire(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = null;
      while (envelope.more()) {
        int tag = envelope.tag();
        if (tag >>> 3 == 1 && (tag & 7) == 2) {
          Wire typeMeta = envelope.message();
          while (typeMeta.more()) {
            int t = typeMeta.tag();
            if (t >>> 3 == 1) {
              apiVersion = typeMeta.string();
            } else if (t >>> 3 == 2) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(t);
            }
          }
        } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
          raw = envelope.bytes();
        } else {
          envelope.skip(tag);
        }
      }
      if (raw == null || !apiVersion.equals("v1")) {
        return null;
      }
      ObjectNode object = JSON.createObjectNode();
      object.put("apiVersion", apiVersion);
      object.put("kind", kind);
      Wire w = new Wire(raw, 0, raw.length);
      boolean known =
          switch (kind) {
            case "Namespace" -> namespace(w, object);
            case "ConfigMap" -> configMap(w, object, false);
            case "Secret" -> configMap(w, object, true);
            case "ServiceAccount" -> serviceAccount(w, object);
            default -> false;
          };
      return known ? object : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean namespace(Wire w, ObjectNode out) {
    while (w.more()) {
      int tag = w.tag();
      switch (tag >>> 3) {
        case 1 -> out.set("metadata", objectMeta(w.message()));
        case 2 -> {
          Wire spec = w.message();
          ObjectNode specNode = out.putObject("spec");
          while (spec.more()) {
            int t = spec.tag();
            if (t >>> 3 == 1) {
              arrayOf(specNode, "finalizers").add(spec.string());
            } else {
              spec.skip(t);
            }
          }
        }
        default -> w.skip(tag);
      }
    }
    return true;
  }

  /** ConfigMap: data=2 (strings), binaryData=3, immutable=4; Secret: data=2 (bytes), type=3. */
  private static boolean configMap(Wire w, ObjectNode out, boolean secret) {
    while (w.more()) {
      int tag = w.tag();
      int field = tag >>> 3;
      if (field == 1) {
        out.set("metadata", objectMeta(w.message()));
      } else if (field == 2) {
        Map.Entry<String, byte[]> e = mapEntry(w.message());
        String value =
            secret
                ? Base64.getEncoder().encodeToString(e.getValue())
                : new String(e.getValue(), StandardCharsets.UTF_8);
        objectOf(out, "data").put(e.getKey(), value);
      } else if (field == 3 && secret) {
        out.put("type", w.string());
      } else if (field == 3) {
        Map.Entry<String, byte[]> e = mapEntry(w.message());
        objectOf(out, "binaryData")
            .put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue()));
      } else if (field == 4 && secret) {
        Map.Entry<String, byte[]> e = mapEntry(w.message());
        objectOf(out, "stringData")
            .put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
      } else if ((field == 4 && !secret) || (field == 5 && secret)) {
        out.put("immutable", w.varint() != 0);
      } else {
        w.skip(tag);
      }
    }
    return true;
  }

  private static boolean serviceAccount(Wire w, ObjectNode out) {
    while (w.more()) {
      int tag = w.tag();
      if (tag >>> 3 == 1) {
        out.set("metadata", objectMeta(w.message()));
      } else if (tag >>> 3 == 4) {
        out.put("automountServiceAccountToken", w.varint() != 0);
      } else {
        w.skip(tag);
      }
    }
    return true;
  }

  /** name=1, generateName=2, namespace=3, labels=11, annotations=12, finalizers=14. */
  private static ObjectNode objectMeta(Wire w) {
    ObjectNode meta = JSON.createObjectNode();
    while (w.more()) {
      int tag = w.tag();
      switch (tag >>> 3) {
        case 1, 2, 3 -> {
          // proto3 writes empty strings too; JSON leaves them out.
          String value = w.string();
          if (!value.isEmpty()) {
            meta.put(
                (tag >>> 3) == 1 ? "name" : (tag >>> 3) == 2 ? "generateName" : "namespace", value);
          }
        }
        case 11, 12 -> {
          String map = (tag >>> 3) == 11 ? "labels" : "annotations";
          Map.Entry<String, byte[]> e = mapEntry(w.message());
          objectOf(meta, map).put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
        }
        case 14 -> arrayOf(meta, "finalizers").add(w.string());
        default -> w.skip(tag);
      }
    }
    return meta;
  }

  private static Map.Entry<String, byte[]> mapEntry(Wire w) {
    String key = "";
    byte[] value = new byte[0];
    while (w.more()) {
      int tag = w.tag();
      if (tag >>> 3 == 1) {
        key = w.string();
      } else if (tag >>> 3 == 2) {
        value = w.bytes();
      } else {
        w.skip(tag);
      }
    }
    return Map.entry(key, value);
  }

  private static ObjectNode objectOf(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
  }

  private static ArrayNode arrayOf(ObjectNode parent, String field) {
    return parent.get(field) instanceof ArrayNode a ? a : parent.putArray(field);
  }

  /** A cursor over protobuf wire data. */
  private static final class Wire {
    private final byte[] data;
    private int pos;
    private final int end;

    Wire(byte[] data, int start, int end) {
      this.data = data;
      this.pos = start;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = data[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int length = (int) varint();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("truncated field");
      }
      byte[] out = new byte[length];
      System.arraycopy(data, pos, out, 0, length);
      pos += length;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Wire message() {
      int length = (int) varint();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("truncated message");
      }
      Wire sub = new Wire(data, pos, pos + length);
      pos += length;
      return sub;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          // Not "pos += varint()": that would add the length to pos as it was before the read.
          int length = (int) varint();
          pos += length;
        }
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
      }
    }
  }
}
