package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAPI v3 documents as kube-apiserver serves them: an index at {@code /openapi/v3} and one
 * document per group version.
 *
 * <p>Each document lists the paths of its resources with their operations tagged by {@code
 * x-kubernetes-group-version-kind}, and the write operations accept the {@code fieldValidation}
 * query parameter: that is how kubectl decides to leave validation to the server instead of
 * validating on the client. Custom resources carry their CRD schema under {@code
 * components.schemas}, so {@code kubectl explain} works for them; built-in kinds have paths but no
 * schemas. Patch operations do not offer strategic merge patch, so kubectl computes such patches
 * from its own compiled-in types.
 */
public final class OpenApiDocuments {
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiCatalog catalog;
  private final Map<String, ObjectNode> documents = new LinkedHashMap<>();
  private final Map<String, String> hashes = new LinkedHashMap<>();

  public OpenApiDocuments(ApiCatalog catalog) {
    this.catalog = catalog;
    for (Map.Entry<String, List<String>> group : catalog.groupVersions().entrySet()) {
      for (String version : group.getValue()) {
        String key = documentKey(group.getKey(), version);
        ObjectNode doc = groupVersionDocument(group.getKey(), version);
        documents.put(key, doc);
        hashes.put(key, sha256(doc));
      }
    }
  }

  /** The key of a group version in the index: {@code api/v1}, {@code apis/group/version}. */
  public static String documentKey(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** {@code /openapi/v3}. */
  public ObjectNode index() {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode paths = doc.putObject("paths");
    hashes.forEach(
        (key, hash) ->
            paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash));
    return doc;
  }

  /** {@code /openapi/v3/<key>}, or null when the key names no served group version. */
  public ObjectNode document(String key) {
    return documents.get(key);
  }

  private ObjectNode groupVersionDocument(String group, String version) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", "v" + DiscoveryDocuments.MAJOR + "." + DiscoveryDocuments.MINOR + ".0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    boolean anySchema = false;
    for (ApiResource r : catalog.inGroupVersion(group, version)) {
      String schemaRef = null;
      var custom = catalog.customType(group, version, r.plural());
      if (custom.isPresent()) {
        String name = schemaName(r);
        schemas.set(name, customSchema(r, custom.get().schema()));
        schemaRef = "#/components/schemas/" + name;
        anySchema = true;
      }
      String collection =
          r.groupVersionPath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      ObjectNode collectionItem = paths.putObject(collection);
      collectionItem.set("get", operation(r, "list", schemaRef, false));
      collectionItem.set("post", operation(r, "post", schemaRef, true));
      ObjectNode item = paths.putObject(collection + "/{name}");
      item.set("get", operation(r, "get", schemaRef, false));
      item.set("put", operation(r, "put", schemaRef, true));
      item.set("patch", patchOperation(r, schemaRef));
      item.set("delete", operation(r, "delete", null, false));
      if (r.subresources().contains("status")) {
        ObjectNode status = paths.putObject(collection + "/{name}/status");
        status.set("get", operation(r, "get", schemaRef, false));
        status.set("put", operation(r, "put", schemaRef, true));
        status.set("patch", patchOperation(r, schemaRef));
      }
    }
    if (anySchema) {
      schemas.set(OBJECT_META, objectMeta());
    }
    return doc;
  }

  /** The name kube-apiserver gives a custom kind's schema: reversed group, version, kind. */
  static String schemaName(ApiResource r) {
    List<String> parts = new java.util.ArrayList<>(List.of(r.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + r.version() + "." + r.kind();
  }

  private static ObjectNode customSchema(ApiResource r, JsonNode crdSchema) {
    ObjectNode schema = crdSchema.deepCopy();
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    ObjectNode metadata = JSON.createObjectNode();
    metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + OBJECT_META);
    metadata.put(
        "description",
        "Standard object's metadata. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    properties.set("metadata", metadata);
    if (!properties.has("apiVersion")) {
      properties.putObject("apiVersion").put("type", "string");
    }
    if (!properties.has("kind")) {
      properties.putObject("kind").put("type", "string");
    }
    ArrayNode gvk = schema.putArray("x-kubernetes-group-version-kind");
    gvk.add(gvk(r));
    return schema;
  }

  private static ObjectNode objectMeta() {
    ObjectNode meta = JSON.createObjectNode();
    meta.put(
        "description",
        "ObjectMeta is metadata that all persisted resources must have, which includes all objects"
            + " users must create.");
    meta.put("type", "object");
    ObjectNode p = meta.putObject("properties");
    string(p, "name", "Name must be unique within a namespace.");
    string(p, "generateName", "An optional prefix the server uses to generate a unique name.");
    string(p, "namespace", "The namespace the object lives in.");
    string(p, "uid", "The unique id of this object, set by the server.");
    string(p, "resourceVersion", "The version of this object, set by the server.");
    string(p, "creationTimestamp", "When the object was created, set by the server.");
    string(p, "deletionTimestamp", "When the object will be deleted, set by the server.");
    p.putObject("generation")
        .put("type", "integer")
        .put("format", "int64")
        .put("description", "A sequence number of the desired state, set by the server.");
    for (String map : List.of("labels", "annotations")) {
      ObjectNode m = p.putObject(map);
      m.put("type", "object");
      m.putObject("additionalProperties").put("type", "string").put("default", "");
      m.put("description", "Map of string keys and values (" + map + ").");
    }
    ObjectNode finalizers = p.putObject("finalizers");
    finalizers.put("type", "array");
    finalizers.putObject("items").put("type", "string").put("default", "");
    finalizers.put("description", "Must be empty before the object is deleted from the registry.");
    ObjectNode owners = p.putObject("ownerReferences");
    owners.put("type", "array");
    owners.putObject("items").put("type", "object");
    owners.put("description", "Objects this object depends on.");
    return meta;
  }

  private static void string(ObjectNode properties, String name, String description) {
    properties.putObject(name).put("type", "string").put("description", description);
  }

  private static ObjectNode operation(
      ApiResource r, String action, String schemaRef, boolean write) {
    ObjectNode op = JSON.createObjectNode();
    op.put("operationId", action + r.kind());
    op.put("x-kubernetes-action", action);
    op.set("x-kubernetes-group-version-kind", gvk(r));
    ArrayNode params = op.putArray("parameters");
    if (write) {
      writeParameters(params);
      if (schemaRef != null) {
        op.putObject("requestBody")
            .putObject("content")
            .putObject("*/*")
            .putObject("schema")
            .put("$ref", schemaRef);
      }
    }
    ObjectNode ok = op.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (schemaRef != null && !action.equals("list")) {
      ok.putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", schemaRef);
    }
    return op;
  }

  private static ObjectNode patchOperation(ApiResource r, String schemaRef) {
    ObjectNode op = operation(r, "patch", null, true);
    ObjectNode content = op.putObject("requestBody").putObject("content");
    for (String type : List.of("application/json-patch+json", "application/merge-patch+json")) {
      content.putObject(type).putObject("schema").put("type", "object");
    }
    if (schemaRef != null) {
      ((ObjectNode) op.get("responses").get("200"))
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", schemaRef);
    }
    return op;
  }

  private static void writeParameters(ArrayNode params) {
    for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
      ObjectNode p = params.addObject();
      p.put("name", name);
      p.put("in", "query");
      p.putObject("schema").put("type", "string").put("uniqueItems", true);
    }
  }

  private static ObjectNode gvk(ApiResource r) {
    ObjectNode gvk = JSON.createObjectNode();
    gvk.put("group", r.group());
    gvk.put("kind", r.kind());
    gvk.put("version", r.version());
    return gvk;
  }

  private static String sha256(JsonNode doc) {
    try {
      byte[] bytes = JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
