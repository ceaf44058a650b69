package dev.strata.scheduler.extender;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kube-scheduler's extender wire format ({@code k8s.io/kube-scheduler/extender/v1}). Those Go
 * structs carry no JSON tags, so the keys are the Go field names ({@code Pod}, {@code NodeNames},
 * {@code FailedNodes}, ...), every field is written (a nil pointer, slice or map as {@code null}),
 * and Go's decoder matches keys case-insensitively and ignores unknown ones; this codec does the
 * same. The embedded Pod and Node objects are ordinary Kubernetes JSON, read with fabric8's
 * serialization; nodes sent in full are echoed back as they came.
 *
 * <p>A request that cannot be read is a {@link BadRequest} with a reason for the HTTP 400 body.
 */
final class ExtenderWire {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Quoted once: a HostPriorityList repeats these two keys for every node.
  private static final SerializedString HOST = new SerializedString("Host");
  private static final SerializedString SCORE = new SerializedString("Score");

  private ExtenderWire() {}

  /** Why a request body cannot be used. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  /**
   * {@code ExtenderArgs}: the pod and either the candidate node names (nodeCacheCapable) or the
   * candidate nodes in full.
   *
   * @param nodes the {@code Nodes.Items} as sent, or null when only names came
   */
  record ExtenderArgs(Pod pod, List<String> nodeNames, List<JsonNode> nodes) {}

  /** {@code ExtenderFilterResult}. */
  record FilterResult(
      List<String> nodeNames,
      List<JsonNode> nodes,
      Map<String, String> failedNodes,
      Map<String, String> failedAndUnresolvableNodes,
      String error) {}

  /** One {@code HostPriority}. */
  record HostPriority(String host, long score) {}

  /** {@code ExtenderBindingArgs}. */
  record BindingArgs(String podName, String podNamespace, String podUid, String node) {}

  /**
   * {@code ExtenderPreemptionArgs}: victims by node, as pod UIDs (from {@code
   * NodeNameToMetaVictims}, or taken from the full pods of {@code NodeNameToVictims}).
   */
  record PreemptionArgs(Pod pod, Map<String, Victims> victimsByNode) {}

  /**
   * {@code MetaVictims}: pod UIDs and the PodDisruptionBudget violations kube-scheduler counted.
   */
  record Victims(List<String> podUids, long numPdbViolations) {}

  static JsonNode parse(byte[] body) throws BadRequest {
    if (body.length == 0) {
      throw new BadRequest("request body is empty; expected a JSON object");
    }
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new BadRequest("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequest("request body cannot be read: " + e.getMessage());
    }
  }

  static ExtenderArgs extenderArgs(JsonNode root) throws BadRequest {
    List<String> names = null;
    boolean malformed = false;
    JsonNode nameNode = field(root, "NodeNames");
    if (nameNode != null && !nameNode.isNull()) {
      names = new ArrayList<>(nameNode.size());
      malformed = !nameNode.isArray();
      for (JsonNode n : nameNode) {
        if (n.isTextual()) {
          names.add(n.asText());
        } else {
          malformed = true;
        }
      }
    }
    return extenderArgs(field(root, "Pod"), names, malformed, field(root, "Nodes"));
  }

  /**
   * {@code ExtenderArgs} from its parts as found in the body (null when absent), checked in one
   * order whichever reader found them.
   *
   * @param names the {@code NodeNames} strings, null when absent or null
   * @param namesMalformed {@code NodeNames} was present but not an array of strings
   */
  static ExtenderArgs extenderArgs(
      JsonNode podNode, List<String> names, boolean namesMalformed, JsonNode list)
      throws BadRequest {
    Pod pod = pod(podNode);
    if (namesMalformed) {
      throw new BadRequest("NodeNames must be an array of node names");
    }
    List<JsonNode> nodes = null;
    if (list != null && !list.isNull()) {
      JsonNode items = list.isObject() ? field(list, "items") : null;
      if (items == null || !(items.isArray() || items.isNull())) {
        throw new BadRequest("Nodes must be a NodeList object with an items array");
      }
      nodes = new ArrayList<>();
      if (items.isArray()) {
        for (JsonNode item : items) {
          Node node = node(item);
          if (node.getMetadata() == null || node.getMetadata().getName() == null) {
            throw new BadRequest("every item of Nodes needs metadata.name");
          }
          nodes.add(item);
        }
      }
    }
    if (names == null && nodes == null) {
      throw new BadRequest("request has neither NodeNames nor Nodes");
    }
    return new ExtenderArgs(pod, names, nodes);
  }

  static Node node(JsonNode item) throws BadRequest {
    try {
      return KUBE.convertValue(item, Node.class);
    } catch (RuntimeException e) {
      throw new BadRequest("an item of Nodes is not a Node: " + firstLine(e.getMessage()));
    }
  }

  static BindingArgs bindingArgs(JsonNode root) throws BadRequest {
    String name = text(root, "PodName");
    String namespace = text(root, "PodNamespace");
    String uid = text(root, "PodUID");
    String node = text(root, "Node");
    if (name == null || name.isEmpty()) {
      throw new BadRequest("binding request has no PodName");
    }
    if (node == null || node.isEmpty()) {
      throw new BadRequest("binding request has no Node");
    }
    return new BindingArgs(
        name, namespace == null || namespace.isEmpty() ? "default" : namespace, uid, node);
  }

  static PreemptionArgs preemptionArgs(JsonNode root) throws BadRequest {
    Pod pod = pod(field(root, "Pod"));
    Map<String, Victims> byNode = new LinkedHashMap<>();
    JsonNode meta = field(root, "NodeNameToMetaVictims");
    JsonNode full = field(root, "NodeNameToVictims");
    boolean hasMeta = meta != null && !meta.isNull();
    boolean hasFull = full != null && !full.isNull();
    if (!hasMeta && !hasFull) {
      throw new BadRequest("request has neither NodeNameToMetaVictims nor NodeNameToVictims");
    }
    JsonNode map = hasMeta ? meta : full;
    if (!map.isObject()) {
      throw new BadRequest(
          (hasMeta ? "NodeNameToMetaVictims" : "NodeNameToVictims")
              + " must map node names to victims");
    }
    Iterator<Map.Entry<String, JsonNode>> it = map.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode victims = e.getValue();
      if (victims == null || victims.isNull()) {
        byNode.put(e.getKey(), new Victims(List.of(), 0));
        continue;
      }
      if (!victims.isObject()) {
        throw new BadRequest("victims of node " + e.getKey() + " must be an object");
      }
      List<String> uids = new ArrayList<>();
      JsonNode pods = field(victims, "Pods");
      if (pods != null && !pods.isNull()) {
        if (!pods.isArray()) {
          throw new BadRequest("Pods of node " + e.getKey() + " must be an array");
        }
        for (JsonNode p : pods) {
          String uid = hasMeta ? text(p, "UID") : metaUid(p);
          if (uid == null || uid.isEmpty()) {
            throw new BadRequest("a victim on node " + e.getKey() + " has no UID");
          }
          uids.add(uid);
        }
      }
      JsonNode pdb = field(victims, "NumPDBViolations");
      long violations = pdb == null || pdb.isNull() ? 0 : pdb.asLong();
      if (pdb != null && !pdb.isNull() && !pdb.isIntegralNumber()) {
        throw new BadRequest("NumPDBViolations of node " + e.getKey() + " must be a number");
      }
      byNode.put(e.getKey(), new Victims(uids, violations));
    }
    return new PreemptionArgs(pod, byNode);
  }

  // The two answers with one entry per node are written straight to the generator: with
  // thousands of nodes, building a tree first costs as much as writing it.

  static byte[] write(FilterResult result) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
    write(result, out);
    return out.toByteArray();
  }

  static byte[] write(List<HostPriority> priorities) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
    write(priorities, out);
    return out.toByteArray();
  }

  /** Writes {@code ExtenderFilterResult} to {@code out}, which is not closed. */
  static void write(FilterResult result, java.io.OutputStream out) {
    if (out instanceof WireBuffer buffer && result.nodes() == null) {
      int start = buffer.size();
      if (PlainAnswers.filter(result, buffer)) {
        return;
      }
      buffer.truncate(start);
    }
    stream(
        out,
        g -> {
          g.writeStartObject();
          if (result.nodes() == null) {
            g.writeNullField("Nodes");
          } else {
            // A v1.NodeList as Go marshals it: the empty ListMeta is not omitted.
            g.writeObjectFieldStart("Nodes");
            g.writeObjectFieldStart("metadata");
            g.writeEndObject();
            g.writeArrayFieldStart("items");
            for (JsonNode node : result.nodes()) {
              g.writeTree(node);
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          if (result.nodeNames() == null) {
            g.writeNullField("NodeNames");
          } else {
            g.writeArrayFieldStart("NodeNames");
            for (String name : result.nodeNames()) {
              g.writeString(name);
            }
            g.writeEndArray();
          }
          writeMap(g, "FailedNodes", result.failedNodes());
          writeMap(g, "FailedAndUnresolvableNodes", result.failedAndUnresolvableNodes());
          g.writeStringField("Error", result.error());
          g.writeEndObject();
        });
  }

  /** Writes a {@code HostPriorityList} to {@code out}, which is not closed. */
  static void write(List<HostPriority> priorities, java.io.OutputStream out) {
    if (out instanceof WireBuffer buffer) {
      int start = buffer.size();
      if (PlainAnswers.priorities(priorities, buffer)) {
        return;
      }
      buffer.truncate(start);
    }
    stream(
        out,
        g -> {
          g.writeStartArray();
          for (HostPriority p : priorities) {
            g.writeStartObject();
            g.writeFieldName(HOST);
            g.writeString(p.host());
            g.writeFieldName(SCORE);
            g.writeNumber(p.score());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  private static void writeMap(JsonGenerator g, String key, Map<String, String> map)
      throws java.io.IOException {
    if (map == null) {
      g.writeNullField(key);
      return;
    }
    g.writeObjectFieldStart(key);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private interface Writing {
    void to(JsonGenerator g) throws java.io.IOException;
  }

  private static void stream(java.io.OutputStream out, Writing writing) {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writing.to(g);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an answer failed to serialize", e);
    }
  }

  /** {@code ExtenderBindingResult}, also the body of every error answer. */
  static byte[] bindingResult(String error) {
    ObjectNode out = NODES.objectNode();
    out.put("Error", error);
    return bytes(out);
  }

  /** {@code ExtenderPreemptionResult}. */
  static byte[] write(Map<String, Victims> victimsByNode) {
    ObjectNode out = NODES.objectNode();
    ObjectNode map = out.putObject("NodeNameToMetaVictims");
    victimsByNode.forEach(
        (node, victims) -> {
          ObjectNode v = map.putObject(node);
          ArrayNode pods = v.putArray("Pods");
          victims.podUids().forEach(uid -> pods.addObject().put("UID", uid));
          v.put("NumPDBViolations", victims.numPdbViolations());
        });
    return bytes(out);
  }

  static JsonNode tree(byte[] json) throws java.io.IOException {
    return JSON.readTree(json);
  }

  private static Pod pod(JsonNode podNode) throws BadRequest {
    if (podNode == null || podNode.isNull()) {
      throw new BadRequest("request has no Pod");
    }
    if (!podNode.isObject()) {
      throw new BadRequest("Pod must be a Pod object");
    }
    Pod pod;
    try {
      pod = KUBE.convertValue(podNode, Pod.class);
    } catch (RuntimeException e) {
      throw new BadRequest("Pod is not a valid Pod: " + firstLine(e.getMessage()));
    }
    if (pod.getMetadata() == null
        || pod.getMetadata().getName() == null
        || pod.getMetadata().getName().isEmpty()) {
      throw new BadRequest("Pod has no metadata.name");
    }
    return pod;
  }

  private static String metaUid(JsonNode pod) {
    JsonNode meta = pod == null ? null : pod.get("metadata");
    JsonNode uid = meta == null ? null : meta.get("uid");
    return uid == null || !uid.isTextual() ? null : uid.asText();
  }

  private static String text(JsonNode obj, String key) throws BadRequest {
    JsonNode value = field(obj, key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadRequest(key + " must be a string");
    }
    return value.asText();
  }

  /**
   * The value under {@code key}, matched exactly first, then ignoring case as Go's decoder does.
   */
  static JsonNode field(JsonNode obj, String key) {
    if (obj == null || !obj.isObject()) {
      return null;
    }
    JsonNode exact = obj.get(key);
    if (exact != null) {
      return exact;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
