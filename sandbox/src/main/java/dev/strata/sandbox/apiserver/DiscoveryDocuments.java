package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery documents kube-apiserver serves, in their plain (unaggregated) JSON forms: clients
 * that ask for the aggregated form fall back to these when the reply is plain {@code
 * application/json}.
 */
public final class DiscoveryDocuments {
  /** The Kubernetes release the sandbox claims, one kubectl supports without skew warnings. */
  public static final String MAJOR = "1";

  public static final String MINOR = "32";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private final ApiCatalog catalog;

  public DiscoveryDocuments(ApiCatalog catalog) {
    this.catalog = catalog;
  }

  /** {@code /version}. */
  public ObjectNode version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", MAJOR);
    v.put("minor", MINOR);
    v.put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-strata-sandbox");
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "strata");
    v.put("platform", "linux/amd64");
    return v;
  }

  /** {@code /api}. */
  public ObjectNode coreVersions(String serverAddress) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    ObjectNode cidr = doc.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return doc;
  }

  /** {@code /apis}: every named group with its versions, the preferred one first. */
  public ObjectNode groupList() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    for (Map.Entry<String, List<String>> entry : catalog.groupVersions().entrySet()) {
      if (!entry.getKey().isEmpty()) {
        groups.add(group(entry.getKey(), entry.getValue()));
      }
    }
    return doc;
  }

  /** {@code /apis/<group>}, or null when the group is not served. */
  public ObjectNode group(String group) {
    List<String> versions = catalog.groupVersions().get(group);
    if (group.isEmpty() || versions == null) {
      return null;
    }
    ObjectNode doc = group(group, versions);
    doc.put("kind", "APIGroup");
    doc.put("apiVersion", "v1");
    return doc;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>}, or null when not served. */
  public ObjectNode resourceList(String group, String version) {
    List<ApiResource> resources = catalog.inGroupVersion(group, version);
    if (resources.isEmpty()) {
      return null;
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", resources.get(0).groupVersion());
    ArrayNode list = doc.putArray("resources");
    for (ApiResource r : resources) {
      ObjectNode main = list.addObject();
      main.put("name", r.plural());
      main.put("singularName", r.singular());
      main.put("namespaced", r.namespaced());
      main.put("kind", r.kind());
      strings(main.putArray("verbs"), r.verbs());
      if (!r.shortNames().isEmpty()) {
        strings(main.putArray("shortNames"), r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        strings(main.putArray("categories"), r.categories());
      }
      main.put(
          "storageVersionHash",
          Integer.toHexString(r.groupVersion().hashCode() * 31 + r.plural().hashCode()));
      for (String sub : r.subresources()) {
        ObjectNode entry = list.addObject();
        entry.put("name", r.plural() + "/" + sub);
        entry.put("singularName", "");
        entry.put("namespaced", r.namespaced());
        entry.put("kind", subresourceKind(r, sub));
        if (sub.equals("binding")) {
          entry.put("group", "");
          entry.put("version", "v1");
        }
        strings(entry.putArray("verbs"), ApiResource.subresourceVerbs(sub));
      }
    }
    return doc;
  }

  /**
   * The version discovery prefers, as kube-apiserver orders them: GA before beta before alpha,
   * higher numbers first; other names last, alphabetically.
   */
  public static String preferredVersion(List<String> versions) {
    return versions.stream().min(KUBE_AWARE).orElseThrow();
  }

  static final Comparator<String> KUBE_AWARE =
      Comparator.comparingInt(DiscoveryDocuments::stability)
          .thenComparing(Comparator.comparingInt(DiscoveryDocuments::major).reversed())
          .thenComparing(Comparator.comparingInt(DiscoveryDocuments::minor).reversed())
          .thenComparing(Comparator.naturalOrder());

  private static int stability(String version) {
    Matcher m = KUBE_VERSION.matcher(version);
    if (!m.matches()) {
      return 3;
    }
    return m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
  }

  private static int major(String version) {
    Matcher m = KUBE_VERSION.matcher(version);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static int minor(String version) {
    Matcher m = KUBE_VERSION.matcher(version);
    return m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : 0;
  }

  private static String subresourceKind(ApiResource r, String sub) {
    return switch (sub) {
      case "binding" -> "Binding";
      case "log" -> "Pod";
      case "eviction" -> "Eviction";
      case "scale" -> "Scale";
      default -> r.kind();
    };
  }

  private static ObjectNode group(String name, List<String> versions) {
    List<String> ordered = new ArrayList<>(versions);
    ordered.sort(KUBE_AWARE);
    ObjectNode group = JSON.createObjectNode();
    group.put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String v : ordered) {
      ObjectNode entry = list.addObject();
      entry.put("groupVersion", name + "/" + v);
      entry.put("version", v);
    }
    ObjectNode preferred = group.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + ordered.get(0));
    preferred.put("version", ordered.get(0));
    return group;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
