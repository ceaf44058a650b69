package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.sandbox.apiserver.CustomResourceType.PrinterColumn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@code meta.k8s.io/v1} Table that {@code kubectl get} asks for: custom resources get
 * the Name column and their CRD's additionalPrinterColumns (JSONPath-evaluated, dates as ages), a
 * few built-in kinds get kube-apiserver's usual columns, and everything else Name and Age.
 */
public final class TableBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Column(
      String name,
      String type,
      String format,
      int priority,
      String description,
      Function<JsonNode, Object> cell) {}

  private final Clock clock;

  public TableBuilder(Clock clock) {
    this.clock = clock;
  }

  /**
   * A Table of {@code objects}.
   *
   * @param includeObject {@code None}, {@code Object} or (default) {@code Metadata}
   */
  public ObjectNode table(
      ApiResource resource,
      CustomResourceType custom,
      List<JsonNode> objects,
      String resourceVersion,
      String includeObject) {
    List<Column> columns = custom != null ? customColumns(custom) : builtInColumns(resource);
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      ObjectNode d = definitions.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.format());
      d.put("description", c.description());
      d.put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        JsonNode cell = JSON.valueToTree(c.cell().apply(object));
        cells.add(cell);
      }
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else if (!"None".equals(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
      }
    }
    return table;
  }

  private List<Column> customColumns(CustomResourceType custom) {
    List<Column> columns = new ArrayList<>();
    columns.add(nameColumn());
    for (PrinterColumn pc : custom.printerColumns()) {
      SimpleJsonPath path = SimpleJsonPath.parse(pc.jsonPath());
      columns.add(
          new Column(
              pc.name(),
              pc.type(),
              pc.format(),
              pc.priority(),
              pc.description(),
              o -> printerCell(pc.type(), path.evaluate(o))));
    }
    if (custom.printerColumns().isEmpty()) {
      columns.add(ageColumn());
    }
    return columns;
  }

  private Object printerCell(String type, List<JsonNode> values) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      JsonNode v = values.get(0);
      if ("date".equals(type) && v.isTextual()) {
        return age(v.textValue());
      }
      if (v.isValueNode()) {
        return v;
      }
      return v.toString();
    }
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(v.isTextual() ? v.textValue() : v.toString()));
    return String.join(" ", parts);
  }

  private List<Column> builtInColumns(ApiResource r) {
    List<Column> columns = new ArrayList<>();
    String key = r.group() + "/" + r.plural();
    switch (key) {
      case "/pods" -> {
        columns.add(nameColumn());
        columns.add(text("Ready", 0, TableBuilder::podReady));
        columns.add(text("Status", 0, TableBuilder::podStatus));
        columns.add(new Column("Restarts", "string", "", 0, "", TableBuilder::podRestarts));
        columns.add(ageColumn());
        columns.add(text("IP", 1, o -> orNone(o.path("status").path("podIP").asText(""))));
        columns.add(text("Node", 1, o -> orNone(o.path("spec").path("nodeName").asText(""))));
      }
      case "/nodes" -> {
        columns.add(nameColumn());
        columns.add(text("Status", 0, TableBuilder::nodeStatus));
        columns.add(text("Roles", 0, TableBuilder::nodeRoles));
        columns.add(ageColumn());
        columns.add(
            text(
                "Version",
                0,
                o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
      }
      case "/namespaces" -> {
        columns.add(nameColumn());
        columns.add(text("Status", 0, o -> o.path("status").path("phase").asText("")));
        columns.add(ageColumn());
      }
      case "/persistentvolumeclaims" -> {
        columns.add(nameColumn());
        columns.add(text("Status", 0, o -> o.path("status").path("phase").asText("")));
        columns.add(text("Volume", 0, o -> o.path("spec").path("volumeName").asText("")));
        columns.add(
            text("Capacity", 0, o -> o.path("status").path("capacity").path("storage").asText("")));
        columns.add(text("Access Modes", 0, TableBuilder::accessModes));
        columns.add(
            text("StorageClass", 0, o -> o.path("spec").path("storageClassName").asText("")));
        columns.add(ageColumn());
      }
      case "/services" -> {
        columns.add(nameColumn());
        columns.add(text("Type", 0, o -> o.path("spec").path("type").asText("ClusterIP")));
        columns.add(
            text("Cluster-IP", 0, o -> orNone(o.path("spec").path("clusterIP").asText(""))));
        columns.add(text("External-IP", 0, o -> "<none>"));
        columns.add(text("Port(s)", 0, TableBuilder::servicePorts));
        columns.add(ageColumn());
      }
      case "/events", "events.k8s.io/events" -> {
        columns.add(text("Last Seen", 0, this::eventLastSeen));
        columns.add(text("Type", 0, o -> o.path("type").asText("")));
        columns.add(text("Reason", 0, o -> o.path("reason").asText("")));
        columns.add(text("Object", 0, TableBuilder::eventObject));
        columns.add(
            text(
                "Message",
                0,
                o -> o.has("message") ? o.path("message").asText("") : o.path("note").asText("")));
      }
      default -> {
        columns.add(nameColumn());
        columns.add(ageColumn());
      }
    }
    return columns;
  }

  private static Column nameColumn() {
    return new Column(
        "Name",
        "string",
        "name",
        0,
        "Name must be unique within a namespace.",
        o -> o.path("metadata").path("name").asText(""));
  }

  private Column ageColumn() {
    return new Column(
        "Age",
        "string",
        "",
        0,
        "CreationTimestamp is a timestamp representing the server time when this object was"
            + " created.",
        o -> age(o.path("metadata").path("creationTimestamp").asText("")));
  }

  private static Column text(String name, int priority, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", priority, "", cell);
  }

  /** How long ago {@code timestamp} was, in kubectl's short form; {@code <unknown>} if unset. */
  String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** Kubernetes' short human durations: 45s, 5m3s, 12m, 3h20m, 5h, 3d4h, 20d, 2y30d, 9y. */
  public static String humanDuration(Duration d) {
    if (d.compareTo(Duration.ofSeconds(-1)) < 0) {
      return "<invalid>";
    }
    if (d.isNegative()) {
      return "0s";
    }
    long seconds = d.getSeconds();
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    }
    long days = hours / 24;
    if (days < 365 * 2) {
      return days + "d";
    }
    if (days < 365 * 8) {
      long dy = days % 365;
      return dy == 0 ? days / 365 + "y" : days / 365 + "y" + dy + "d";
    }
    return days / 365 + "y";
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }

  private static Object podReady(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      if (cs.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  private static Object podStatus(JsonNode pod) {
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    }
    JsonNode status = pod.path("status");
    String reason = status.path("reason").asText(status.path("phase").asText("Pending"));
    for (JsonNode cs : status.path("containerStatuses")) {
      JsonNode waiting = cs.path("state").path("waiting");
      JsonNode terminated = cs.path("state").path("terminated");
      if (waiting.hasNonNull("reason")) {
        reason = waiting.path("reason").asText();
      } else if (terminated.hasNonNull("reason")) {
        reason = terminated.path("reason").asText();
      }
    }
    return reason;
  }

  private static Object podRestarts(JsonNode pod) {
    int restarts = 0;
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      restarts += cs.path("restartCount").asInt(0);
    }
    return String.valueOf(restarts);
  }

  private static Object nodeStatus(JsonNode node) {
    String status = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        status = "True".equals(c.path("status").asText()) ? "Ready" : "NotReady";
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  private static Object nodeRoles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").path("labels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (label.getKey().startsWith("node-role.kubernetes.io/")) {
        roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
      } else if (label.getKey().equals("kubernetes.io/role")) {
        roles.add(label.getValue().asText());
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static Object accessModes(JsonNode pvc) {
    JsonNode modes = pvc.path("status").path("accessModes");
    if (modes.isEmpty()) {
      modes = pvc.path("spec").path("accessModes");
    }
    List<String> shortModes = new ArrayList<>();
    for (JsonNode m : modes) {
      shortModes.add(
          switch (m.asText()) {
            case "ReadWriteOnce" -> "RWO";
            case "ReadOnlyMany" -> "ROX";
            case "ReadWriteMany" -> "RWX";
            case "ReadWriteOncePod" -> "RWOP";
            default -> m.asText();
          });
    }
    return String.join(",", shortModes);
  }

  private static Object servicePorts(JsonNode service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : service.path("spec").path("ports")) {
      ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private Object eventLastSeen(JsonNode event) {
    for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      if (event.hasNonNull(field) && !event.path(field).asText().isEmpty()) {
        return age(event.path(field).asText());
      }
    }
    return age(event.path("metadata").path("creationTimestamp").asText(""));
  }

  private static Object eventObject(JsonNode event) {
    JsonNode involved =
        event.has("involvedObject") ? event.path("involvedObject") : event.path("regarding");
    return involved.path("kind").asText("").toLowerCase() + "/" + involved.path("name").asText("");
  }
}
