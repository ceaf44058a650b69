package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.admission.AdmissionResult;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox API server's request handling, in front of fabric8's {@link KubernetesCrudDispatcher}
 * (the object store). It serves discovery and OpenAPI, admits custom resources through their CRDs,
 * applies merge and strategic merge patches itself, keeps status apart from the main resource,
 * refuses objects in missing namespaces, deletes a namespace's contents with it, cleans up
 * dependents by owner reference, binds pods and claims, and answers {@code kubectl get} with
 * Tables.
 */
public final class SandboxDispatcher extends Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final int PATCH_ATTEMPTS = 5;

  /** The namespaces every cluster starts with. */
  public static final List<String> INITIAL_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final KubernetesCrudDispatcher store;

  /** The characters kube-apiserver picks generated name suffixes from (no vowels, no 0/1/3). */
  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final Random random = new SecureRandom();
  private final ApiCatalog catalog;
  private final Reviews reviews = new Reviews();
  private final PodLogs logs = new PodLogs(reviews.kubeletClientToken);
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openApi;
  private final TableBuilder tables;
  private final Clock clock;
  private volatile String serverAddress = "127.0.0.1:0";

  public SandboxDispatcher(KubernetesCrudDispatcher store, ApiCatalog catalog, Clock clock) {
    this.store = store;
    this.catalog = catalog;
    this.discovery = new DiscoveryDocuments(catalog);
    this.openApi = new OpenApiDocuments(catalog);
    this.tables = new TableBuilder(clock);
    this.clock = clock;
  }

  void serverAddress(String address) {
    this.serverAddress = address;
  }

  /** Stores the CRDs and the initial namespaces, as a fresh cluster has them. */
  void bootstrap() {
    ApiResource crds =
        catalog.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
    Set<String> stored = new HashSet<>();
    for (CustomResourceType type : catalog.customTypes()) {
      if (stored.add(type.crd().getMetadata().getName())) {
        ObjectNode crd = JSON.valueToTree(type.crd());
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        storeCreate(crds.path(null, null), crd);
      }
    }
    for (String name : INITIAL_NAMESPACES) {
      ObjectNode ns = JSON.createObjectNode();
      ns.put("apiVersion", "v1");
      ns.put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      storeCreate("/api/v1/namespaces", prepareNamespace(ns));
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      MockResponse response = handle(request);
      if (response.header("Content-Type") == null
          && response.getBody() != null
          && response.getBody().size() > 0) {
        response.setHeader("Content-Type", JSON_TYPE);
      }
      return response;
    } catch (RuntimeException e) {
      LOG.warn("{} failed", request, e);
      return json(500, StatusBodies.failure(500, "InternalError", String.valueOf(e)));
    }
  }

  private MockResponse handle(RecordedRequest request) {
    String pathAndQuery = request.getPath();
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      MockResponse fixed = fixedDocument(path);
      if (fixed != null) {
        return fixed;
      }
    }
    ApiPath api = ApiPath.parse(pathAndQuery);
    if (api == null || api.version() == null || api.plural() == null) {
      return notFoundPath();
    }
    Optional<ApiResource> found = catalog.find(api.group(), api.version(), api.plural());
    if (found.isEmpty()) {
      return notFoundPath();
    }
    ApiResource resource = found.get();
    byte[] raw = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    String contentType = request.getHeader("Content-Type");
    String body;
    if (contentType != null && contentType.startsWith(ProtobufBodies.CONTENT_TYPE)) {
      ObjectNode decoded = ProtobufBodies.decode(raw);
      if (decoded == null) {
        return json(
            415,
            StatusBodies.failure(
                415,
                "UnsupportedMediaType",
                "the sandbox API server reads protobuf bodies only for Namespace, ConfigMap, Secret"
                    + " and ServiceAccount; send JSON (e.g. kubectl apply -f)"));
      }
      body = decoded.toString();
    } else {
      body = new String(raw, StandardCharsets.UTF_8);
    }
    return switch (method) {
      case GET -> api.isWatch() ? watch(api, resource, request) : get(api, resource, request);
      case POST -> create(api, resource, body);
      case PUT -> api.name() == null ? methodNotAllowed() : update(api, resource, body);
      case PATCH ->
          api.name() == null
              ? methodNotAllowed()
              : patch(api, resource, request.getHeader("Content-Type"), body);
      case DELETE -> delete(api, resource);
      default -> methodNotAllowed();
    };
  }

  // ---- discovery and OpenAPI ----

  private MockResponse fixedDocument(String path) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    switch (p) {
      case "/version":
        return json(200, discovery.version());
      case "/api":
        return json(200, discovery.coreVersions(serverAddress));
      case "/apis":
        return json(200, discovery.groupList());
      case "/openapi/v3":
        return json(200, openApi.index());
      case "/healthz", "/livez", "/readyz":
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "text/plain")
            .setBody("ok");
      default:
        break;
    }
    if (p.startsWith("/openapi/v3/")) {
      ObjectNode doc = openApi.document(p.substring("/openapi/v3/".length()));
      return doc == null ? notFoundPath() : json(200, doc);
    }
    if (p.startsWith("/openapi/") || p.startsWith("/swagger")) {
      return notFoundPath();
    }
    String[] s = p.substring(1).split("/");
    if (s.length == 2 && s[0].equals("api")) {
      ObjectNode list = discovery.resourceList("", s[1]);
      return list == null ? notFoundPath() : json(200, list);
    }
    if (s.length == 2 && s[0].equals("apis")) {
      ObjectNode group = discovery.group(s[1]);
      return group == null ? notFoundPath() : json(200, group);
    }
    if (s.length == 3 && s[0].equals("apis")) {
      ObjectNode list = discovery.resourceList(s[1], s[2]);
      return list == null ? notFoundPath() : json(200, list);
    }
    return null;
  }

  // ---- reads ----

  private MockResponse get(ApiPath api, ApiResource resource, RecordedRequest request) {
    if ("log".equals(api.subresource())) {
      Optional<JsonNode> pod = read(resource, api.namespace(), api.name());
      if (pod.isEmpty()) {
        return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
      }
      String nodeName = pod.get().path("spec").path("nodeName").asText("");
      JsonNode node =
          nodeName.isEmpty()
              ? null
              : read(catalog.find("", "v1", "nodes").orElseThrow(), null, nodeName).orElse(null);
      PodLogs.Answer answer = logs.answer(pod.get(), node, api.query());
      return new MockResponse()
          .setResponseCode(answer.code())
          .setHeader("Content-Type", answer.text() ? "text/plain" : "application/json")
          .setBody(answer.body());
    }
    MockResponse stored = store.handleGet(storePath(api, true));
    if (api.name() != null) {
      if (stored.code() == 404) {
        return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
      }
      JsonNode object = parse(stored);
      if (wantsTable(request)) {
        return json(
            200,
            tables.table(
                resource,
                custom(resource),
                List.of(object),
                object.path("metadata").path("resourceVersion").asText(null),
                api.param("includeObject")));
      }
      return json(200, object);
    }
    JsonNode list = parse(stored);
    FieldSelector selector = FieldSelector.parse(api.param("fieldSelector"));
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      if (selector.matches(item)) {
        items.add(item);
      }
    }
    String resourceVersion = list.path("metadata").path("resourceVersion").asText("0");
    if (wantsTable(request)) {
      return json(
          200,
          tables.table(
              resource, custom(resource), items, resourceVersion, api.param("includeObject")));
    }
    ObjectNode typed = JSON.createObjectNode();
    typed.put("apiVersion", resource.groupVersion());
    typed.put("kind", resource.kind() + "List");
    typed.putObject("metadata").put("resourceVersion", resourceVersion);
    ArrayNode array = typed.putArray("items");
    items.forEach(array::add);
    return json(200, typed);
  }

  private MockResponse watch(ApiPath api, ApiResource resource, RecordedRequest request) {
    long after = 0;
    try {
      after = Long.parseLong(api.query().getOrDefault("resourceVersion", "0"));
    } catch (NumberFormatException e) {
      after = 0;
    }
    Function<JsonNode, JsonNode> transform = Function.identity();
    if (wantsTable(request)) {
      CustomResourceType custom = custom(resource);
      String include = api.param("includeObject");
      transform = o -> tables.table(resource, custom, List.of(o), null, include);
    }
    WatchEventFilter filter =
        new WatchEventFilter(after, FieldSelector.parse(api.param("fieldSelector")), transform);
    String storePath = storePath(api, true);
    storePath += (storePath.contains("?") ? "&" : "?") + "watch=true";
    MockResponse response = store.handleWatch(storePath);
    return response.withWebSocketUpgrade(
        new FilteringWatchListener(response.getWebSocketListener(), filter));
  }

  // ---- writes ----

  private MockResponse create(ApiPath api, ApiResource resource, String body) {
    if (api.name() != null && api.subresource() != null) {
      if (resource.plural().equals("pods") && api.subresource().equals("binding")) {
        return bind(resource, api.namespace(), api.name(), body);
      }
      return methodNotAllowed();
    }
    JsonNode object = parseBody(body);
    if (!(object instanceof ObjectNode obj)) {
      return json(400, StatusBodies.failure(400, "BadRequest", "the body is not a JSON object"));
    }
    if (resource.plural().equals("tokenreviews")) {
      return json(201, reviews.tokenReview(obj));
    }
    if (resource.plural().equals("subjectaccessreviews")) {
      return json(201, reviews.subjectAccessReview(obj));
    }
    if (resource.plural().equals("bindings") && resource.group().isEmpty()) {
      ApiResource pods = catalog.find("", "v1", "pods").orElseThrow();
      return bind(pods, api.namespace(), obj.path("metadata").path("name").asText(""), body);
    }
    if (resource.namespaced()) {
      MockResponse refused = refuseIfNamespaceUnusable(api.namespace());
      if (refused != null) {
        return refused;
      }
    }
    String name = obj.path("metadata").path("name").asText("");
    String generateName = obj.path("metadata").path("generateName").asText("");
    if (name.isEmpty() && !generateName.isEmpty()) {
      name = generatedName(resource, api.namespace(), generateName);
      child(obj, "metadata").put("name", name);
    }
    if (!name.isEmpty() && read(resource, api.namespace(), name).isPresent()) {
      return json(409, StatusBodies.alreadyExists(resource.group(), resource.plural(), name));
    }
    CustomResourceType custom = custom(resource);
    ObjectNode toStore = obj;
    List<String> warnings = List.of();
    if (custom != null) {
      AdmissionResult result = custom.admission().admit(resource.version(), obj);
      MockResponse refused = refuseIfInvalid(api, resource, result, name);
      if (refused != null) {
        return refused;
      }
      toStore = (ObjectNode) result.object();
      warnings = result.warnings();
    } else if (resource.plural().equals("namespaces")) {
      toStore = prepareNamespace(obj);
    } else if (resource.plural().equals("persistentvolumeclaims")) {
      toStore = bindClaim(obj);
    } else if (resource.plural().equals("pods") && resource.group().isEmpty()) {
      toStore = obj.deepCopy();
      ObjectNode status = child(toStore, "status");
      if (!status.hasNonNull("phase")) {
        status.put("phase", "Pending");
      }
    }
    if (api.query().containsKey("dryRun")) {
      return withWarnings(json(201, toStore), warnings);
    }
    MockResponse created = storeCreate(storePath(api, false), toStore);
    if (created.code() == 201 && ownersAllGone(toStore, api.namespace())) {
      // Created by a controller whose cache still held an owner deleted a moment before: the
      // garbage collector deletes such a dependent, so a stale cache cannot leave pods behind.
      store.handleDelete(resource.path(api.namespace(), name));
    }
    return withWarnings(created, warnings);
  }

  /**
   * kube-apiserver's name for {@code generateName}: the prefix (cut to 58 characters) and five
   * random characters from its alphabet, a free one. The mock would append a whole UUID.
   */
  private String generatedName(ApiResource resource, String namespace, String prefix) {
    String base = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
    while (true) {
      StringBuilder name = new StringBuilder(base);
      for (int i = 0; i < 5; i++) {
        name.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
      }
      if (read(resource, namespace, name.toString()).isEmpty()) {
        return name.toString();
      }
    }
  }

  private MockResponse update(ApiPath api, ApiResource resource, String body) {
    JsonNode object = parseBody(body);
    if (!(object instanceof ObjectNode obj)) {
      return json(400, StatusBodies.failure(400, "BadRequest", "the body is not a JSON object"));
    }
    return replace(api, resource, obj);
  }

  /** Stores {@code obj} as the new state of the addressed object (or of its status). */
  private MockResponse replace(ApiPath api, ApiResource resource, ObjectNode obj) {
    boolean statusOnly = "status".equals(api.subresource());
    if (api.subresource() != null && !statusOnly && !api.subresource().equals("finalize")) {
      return methodNotAllowed();
    }
    Optional<JsonNode> current = read(resource, api.namespace(), api.name());
    if (current.isEmpty()) {
      return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
    }
    CustomResourceType custom = custom(resource);
    ObjectNode toStore = obj;
    List<String> warnings = List.of();
    if (custom != null) {
      ObjectNode candidate = obj.deepCopy();
      if (statusOnly) {
        // The status endpoint ignores everything but status; admission sees the stored rest.
        setOrRemove(candidate, "spec", current.get().get("spec"));
      }
      AdmissionResult result =
          custom.admission().admit(resource.version(), candidate, current.get());
      MockResponse refused = refuseIfInvalid(api, resource, result, api.name());
      if (refused != null) {
        return refused;
      }
      toStore = (ObjectNode) result.object();
      warnings = result.warnings();
    } else if (!statusOnly && resource.subresources().contains("status")) {
      // The main resource of a kind with a status subresource never changes its status.
      toStore = obj.deepCopy();
      setOrRemove(toStore, "status", current.get().get("status"));
    }
    if (api.query().containsKey("dryRun")) {
      return withWarnings(json(200, toStore), warnings);
    }
    MockResponse stored =
        store.handleUpdate(request(HttpMethod.PUT, storePath(api, false), toStore.toString()));
    if (stored.code() == 404) {
      return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
    }
    return withWarnings(stored, warnings);
  }

  private MockResponse patch(ApiPath api, ApiResource resource, String contentType, String body) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    boolean custom = custom(resource) != null;
    if (!type.equals("application/json-patch+json")
        && !type.equals("application/merge-patch+json")
        && !(type.equals("application/strategic-merge-patch+json") && !custom)) {
      String accepted =
          custom
              ? "application/json-patch+json, application/merge-patch+json"
              : "application/json-patch+json, application/merge-patch+json,"
                  + " application/strategic-merge-patch+json";
      return json(
          415,
          StatusBodies.failure(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: "
                  + accepted));
    }
    JsonNode patch = parseBody(body);
    if (patch == null) {
      return json(400, StatusBodies.failure(400, "BadRequest", "the patch is not valid JSON"));
    }
    MockResponse last = null;
    for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
      Optional<JsonNode> current = read(resource, api.namespace(), api.name());
      if (current.isEmpty()) {
        return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
      }
      JsonNode patched;
      try {
        patched =
            switch (type) {
              case "application/json-patch+json" -> JsonPatch.apply(patch, current.get());
              case "application/merge-patch+json" -> MergePatch.mergePatch(current.get(), patch);
              default -> MergePatch.strategicMergePatch(current.get(), patch);
            };
      } catch (RuntimeException e) {
        return json(
            422,
            StatusBodies.failure(422, "Invalid", "the patch cannot be applied: " + e.getMessage()));
      }
      if (!(patched instanceof ObjectNode patchedObject)) {
        return json(422, StatusBodies.failure(422, "Invalid", "the patch removed the object"));
      }
      boolean pinned = patch.path("metadata").has("resourceVersion");
      if (!pinned) {
        child(patchedObject, "metadata")
            .put(
                "resourceVersion", current.get().path("metadata").path("resourceVersion").asText());
      }
      last = replace(api, resource, patchedObject);
      if (last.code() != 409 || pinned) {
        return last.code() == 201 ? last.setResponseCode(200) : last;
      }
    }
    return last;
  }

  private MockResponse delete(ApiPath api, ApiResource resource) {
    if (api.name() == null) {
      return store.handleDelete(storePath(api, true));
    }
    if (resource.plural().equals("namespaces") && resource.group().isEmpty()) {
      return deleteNamespace(api.name());
    }
    MockResponse deleted = store.handleDelete(storePath(api, false));
    if (deleted.code() == 404) {
      return json(404, StatusBodies.notFound(resource.group(), resource.plural(), api.name()));
    }
    JsonNode object = parse(deleted);
    if (!"Orphan".equals(api.param("propagationPolicy"))
        && read(resource, api.namespace(), api.name()).isEmpty()) {
      collectDependents(object.path("metadata").path("uid").asText(""));
    }
    return json(200, object);
  }

  // ---- cluster behaviour the mock lacks ----

  private MockResponse refuseIfNamespaceUnusable(String namespace) {
    if (namespace == null) {
      return json(400, StatusBodies.failure(400, "BadRequest", "a namespace is required"));
    }
    Optional<JsonNode> ns = read(namespaces(), null, namespace);
    if (ns.isEmpty()) {
      return json(404, StatusBodies.notFound("", "namespaces", namespace));
    }
    if ("Terminating".equals(ns.get().path("status").path("phase").asText())) {
      return json(
          403,
          StatusBodies.failure(
              403,
              "Forbidden",
              "unable to create new content in namespace "
                  + namespace
                  + " because it is being terminated"));
    }
    return null;
  }

  private MockResponse refuseIfInvalid(
      ApiPath api, ApiResource resource, AdmissionResult result, String name) {
    // Unknown fields fail decoding, before validation runs, as in kube-apiserver.
    if ("Strict".equals(api.param("fieldValidation")) && !result.prunedFields().isEmpty()) {
      return json(
          400,
          StatusBodies.strictDecoding(resource.kind(), resource.version(), result.prunedFields()));
    }
    if (!result.allowed()) {
      return json(422, StatusBodies.invalid(result, resource.group(), resource.kind(), name));
    }
    return null;
  }

  private static MockResponse withWarnings(MockResponse response, List<String> warnings) {
    for (String warning : warnings) {
      response.addHeader("Warning", "299 - " + JSON.getNodeFactory().textNode(warning));
    }
    return response;
  }

  private ObjectNode prepareNamespace(ObjectNode ns) {
    ObjectNode out = ns.deepCopy();
    String name = out.path("metadata").path("name").asText();
    child(child(out, "metadata"), "labels").put("kubernetes.io/metadata.name", name);
    ObjectNode spec = child(out, "spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add("kubernetes");
    }
    out.putObject("status").put("phase", "Active");
    return out;
  }

  /** A claim is bound at once to a volume of the simulated default storage class. */
  private ObjectNode bindClaim(ObjectNode claim) {
    ObjectNode out = claim.deepCopy();
    ObjectNode spec = child(out, "spec");
    if (!spec.hasNonNull("storageClassName")) {
      spec.put("storageClassName", "standard");
    }
    if (!spec.hasNonNull("volumeMode")) {
      spec.put("volumeMode", "Filesystem");
    }
    if (!spec.hasNonNull("volumeName")) {
      spec.put("volumeName", "pvc-" + UUID.randomUUID());
    }
    ObjectNode status = out.putObject("status");
    status.put("phase", "Bound");
    status.set("accessModes", spec.path("accessModes").deepCopy());
    JsonNode storage = spec.path("resources").path("requests").path("storage");
    if (!storage.isMissingNode()) {
      status.putObject("capacity").set("storage", storage.deepCopy());
    }
    ObjectNode annotations = child(child(out, "metadata"), "annotations");
    annotations.put("pv.kubernetes.io/bind-completed", "yes");
    annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
    return out;
  }

  private MockResponse bind(ApiResource pods, String namespace, String name, String body) {
    JsonNode binding = parseBody(body);
    String node = binding == null ? "" : binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      return json(
          422,
          StatusBodies.failure(
              422, "Invalid", "Binding \"" + name + "\" is invalid: target.name: Required value"));
    }
    Optional<JsonNode> current = read(pods, namespace, name);
    if (current.isEmpty()) {
      return json(404, StatusBodies.notFound("", "pods", name));
    }
    ObjectNode pod = current.get().deepCopy();
    String assigned = pod.path("spec").path("nodeName").asText("");
    if (!assigned.isEmpty()) {
      return json(
          409,
          StatusBodies.failure(
              409,
              "Conflict",
              "Operation cannot be fulfilled on"
                  + " pods/binding \""
                  + name
                  + "\": pod "
                  + name
                  + " is already assigned to node \""
                  + assigned
                  + "\""));
    }
    child(pod, "spec").put("nodeName", node);
    ArrayNode conditions = child(pod, "status").withArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
        conditions.remove(i);
      }
    }
    ObjectNode scheduled = conditions.addObject();
    scheduled.put("type", "PodScheduled");
    scheduled.put("status", "True");
    scheduled.put("lastTransitionTime", now());
    MockResponse stored =
        store.handleUpdate(request(HttpMethod.PUT, pods.path(namespace, name), pod.toString()));
    if (stored.code() != 200) {
      return stored;
    }
    ObjectNode success = JSON.createObjectNode();
    success.put("kind", "Status");
    success.put("apiVersion", "v1");
    success.putObject("metadata");
    success.put("status", "Success");
    success.put("code", 201);
    return json(201, success);
  }

  /** Deletes a namespace and everything in it, as the namespace controller does. */
  private MockResponse deleteNamespace(String name) {
    ApiResource namespaces = namespaces();
    Optional<JsonNode> current = read(namespaces, null, name);
    if (current.isEmpty()) {
      return json(404, StatusBodies.notFound("", "namespaces", name));
    }
    ObjectNode terminating = current.get().deepCopy();
    child(terminating, "metadata").put("deletionTimestamp", now());
    child(terminating, "status").put("phase", "Terminating");
    store.handleUpdate(
        request(HttpMethod.PUT, namespaces.path(null, name), terminating.toString()));
    boolean blocked = false;
    for (ApiResource r : catalog.resources()) {
      if (!r.namespaced()) {
        continue;
      }
      for (JsonNode item : list(r, name)) {
        String itemName = item.path("metadata").path("name").asText();
        store.handleDelete(r.path(name, itemName));
        if (read(r, name, itemName).isPresent()) {
          blocked = true; // held by a finalizer
        }
      }
    }
    if (!blocked) {
      store.handleDelete(namespaces.path(null, name));
    }
    return json(200, read(namespaces, null, name).orElse(terminating));
  }

  /** Deletes, transitively, every object owned by {@code uid}, as the garbage collector does. */
  private void collectDependents(String uid) {
    Deque<String> owners = new ArrayDeque<>();
    if (!uid.isEmpty()) {
      owners.add(uid);
    }
    while (!owners.isEmpty()) {
      String owner = owners.poll();
      for (String value : List.copyOf(store.getMap().values())) {
        if (!value.contains(owner)) {
          // Cannot name the owner: no need to parse it (deletes are frequent, the store large).
          continue;
        }
        JsonNode object = parseOrNull(value);
        if (object == null || !ownedBy(object, owner)) {
          continue;
        }
        JsonNode meta = object.path("metadata");
        Optional<ApiResource> r =
            catalog.forKind(object.path("apiVersion").asText(), object.path("kind").asText());
        if (r.isEmpty()) {
          continue;
        }
        String ns = meta.hasNonNull("namespace") ? meta.path("namespace").asText() : null;
        store.handleDelete(r.get().path(ns, meta.path("name").asText()));
        if (read(r.get(), ns, meta.path("name").asText()).isEmpty()) {
          owners.add(meta.path("uid").asText());
        }
      }
    }
  }

  /**
   * Whether {@code object} names owners and none of them exists any more (same name and uid), as
   * the garbage collector decides before deleting a dependent. An owner it cannot look up counts as
   * present: the collector leaves such a dependent alone.
   */
  private boolean ownersAllGone(JsonNode object, String namespace) {
    JsonNode refs = object.path("metadata").path("ownerReferences");
    if (!refs.isArray() || refs.isEmpty()) {
      return false;
    }
    for (JsonNode ref : refs) {
      Optional<ApiResource> r =
          catalog.forKind(ref.path("apiVersion").asText(), ref.path("kind").asText());
      // Unresolvable for the collector too: a kind not served, a namespaced owner of a
      // cluster-scoped object, a reference without a uid.
      if (r.isEmpty()
          || (r.get().namespaced() && namespace == null)
          || ref.path("uid").asText("").isEmpty()) {
        return false;
      }
      Optional<JsonNode> owner =
          read(r.get(), r.get().namespaced() ? namespace : null, ref.path("name").asText());
      if (owner.isPresent()
          && owner.get().path("metadata").path("uid").asText().equals(ref.path("uid").asText())) {
        return false;
      }
    }
    return true;
  }

  private static boolean ownedBy(JsonNode object, String uid) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (uid.equals(ref.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  // ---- store access ----

  private MockResponse storeCreate(String collectionPath, ObjectNode object) {
    return store.handleCreate(request(HttpMethod.POST, collectionPath, object.toString()));
  }

  private Optional<JsonNode> read(ApiResource resource, String namespace, String name) {
    MockResponse response = store.handleGet(resource.path(namespace, name));
    if (response.code() != 200 || response.getBody() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(parse(response));
  }

  private List<JsonNode> list(ApiResource resource, String namespace) {
    MockResponse response = store.handleGet(resource.path(namespace, null));
    List<JsonNode> items = new ArrayList<>();
    JsonNode list = parse(response);
    if (list != null) {
      list.path("items").forEach(items::add);
    }
    return items;
  }

  /**
   * The path handed to the store: the object's path, plus the label selector for reads (the store
   * matches labels itself; field selectors are evaluated here).
   */
  private static String storePath(ApiPath api, boolean withLabelSelector) {
    String path = api.raw();
    String labels = api.param("labelSelector");
    if (withLabelSelector && labels != null && !labels.isEmpty()) {
      path += "?labelSelector=" + URLEncoder.encode(labels, StandardCharsets.UTF_8);
    }
    return path;
  }

  private ApiResource namespaces() {
    return catalog.find("", "v1", "namespaces").orElseThrow();
  }

  private CustomResourceType custom(ApiResource resource) {
    return catalog.customType(resource.group(), resource.version(), resource.plural()).orElse(null);
  }

  private static boolean wantsTable(RecordedRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("as=Table");
  }

  private static RecordedRequest request(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", JSON_TYPE).build();
    return new RecordedRequest(
        "HTTP/1.1", method, path, headers, new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
    if (value == null || value.isMissingNode()) {
      object.remove(field);
    } else {
      object.set(field, value.deepCopy());
    }
  }

  private static JsonNode parse(MockResponse response) {
    Buffer body = response.getBody();
    return body == null ? null : parseOrNull(new String(body.getBytes(), StandardCharsets.UTF_8));
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return text == null || text.isEmpty() ? null : JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode parseBody(String body) {
    return parseOrNull(body);
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", JSON_TYPE)
        .setBody(body.toString());
  }

  private static MockResponse notFoundPath() {
    return json(
        404,
        StatusBodies.failure(404, "NotFound", "the server could not find the requested resource"));
  }

  private static MockResponse methodNotAllowed() {
    return json(
        405,
        StatusBodies.failure(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource"));
  }

  /** The object at {@code field} of {@code parent}, created empty when absent. */
  private static ObjectNode child(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }
}
