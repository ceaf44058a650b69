package dev.strata.sandbox.apiserver;

import java.util.List;

/**
 * One resource type the server serves, as discovery describes it.
 *
 * @param group the API group, empty for the core group
 * @param version the group version, e.g. {@code v1}
 * @param plural the resource name in URLs, e.g. {@code pods}
 * @param singular e.g. {@code pod}
 * @param kind e.g. {@code Pod}
 * @param namespaced whether objects live in a namespace
 * @param verbs the verbs of the main resource
 * @param shortNames kubectl's abbreviations, e.g. {@code po}
 * @param categories e.g. {@code all}
 * @param subresources names of subresources, e.g. {@code status}, {@code binding}, {@code log}
 */
public record ApiResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> verbs,
    List<String> shortNames,
    List<String> categories,
    List<String> subresources) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public ApiResource {
    verbs = List.copyOf(verbs);
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** {@code v1} for the core group, else {@code group/version}. */
  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The URL prefix of the group version: {@code /api/v1} or {@code /apis/group/version}. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The path of one object (or of the collection when {@code name} is null). */
  public String path(String namespace, String name) {
    StringBuilder path = new StringBuilder(groupVersionPath());
    if (namespaced && namespace != null) {
      path.append("/namespaces/").append(namespace);
    }
    path.append('/').append(plural);
    if (name != null) {
      path.append('/').append(name);
    }
    return path.toString();
  }

  /** Verbs of a subresource as kube-apiserver lists them. */
  static List<String> subresourceVerbs(String subresource) {
    return switch (subresource) {
      case "binding", "eviction" -> List.of("create");
      case "log" -> List.of("get");
      case "finalize" -> List.of("update");
      default -> List.of("get", "patch", "update");
    };
  }
}
