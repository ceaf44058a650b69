package dev.strata.sandbox.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types the sandbox API server serves: a fixed set of built-in types (what the
 * platform and kubectl use) plus the served versions of the custom resources it was given.
 */
public final class ApiCatalog {
  private final List<ApiResource> resources;
  private final Map<String, CustomResourceType> customTypes;

  private ApiCatalog(List<ApiResource> resources, Map<String, CustomResourceType> customTypes) {
    this.resources = List.copyOf(resources);
    this.customTypes = Map.copyOf(customTypes);
  }

  /** The built-in types followed by the custom ones. */
  public static ApiCatalog of(List<CustomResourceType> custom) {
    List<ApiResource> all = new ArrayList<>(builtIn());
    Map<String, CustomResourceType> byKey = new LinkedHashMap<>();
    for (CustomResourceType type : custom) {
      all.add(type.resource());
      byKey.put(
          key(type.resource().group(), type.resource().version(), type.resource().plural()), type);
    }
    return new ApiCatalog(all, byKey);
  }

  public List<ApiResource> resources() {
    return resources;
  }

  public Optional<ApiResource> find(String group, String version, String plural) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .filter(r -> r.plural().equals(plural))
        .findFirst();
  }

  public Optional<CustomResourceType> customType(String group, String version, String plural) {
    return Optional.ofNullable(customTypes.get(key(group, version, plural)));
  }

  public List<CustomResourceType> customTypes() {
    return List.copyOf(customTypes.values());
  }

  /** The resource of an object's apiVersion and kind. */
  public Optional<ApiResource> forKind(String apiVersion, String kind) {
    return resources.stream()
        .filter(r -> r.groupVersion().equals(apiVersion) && r.kind().equals(kind))
        .findFirst();
  }

  /** Group versions in discovery order: groups as first declared, versions as declared. */
  public Map<String, List<String>> groupVersions() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  public List<ApiResource> inGroupVersion(String group, String version) {
    return resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .toList();
  }

  private static ApiResource review(String group, String plural, String kind) {
    return new ApiResource(
        group,
        "v1",
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        kind,
        false,
        List.of("create"),
        List.of(),
        List.of(),
        List.of());
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  private static List<ApiResource> builtIn() {
    List<ApiResource> list = new ArrayList<>();
    // core/v1
    list.add(
        ns("", "v1", "pods", "Pod", List.of("po"), List.of("all"), "status", "binding", "log"));
    list.add(ns("", "v1", "services", "Service", List.of("svc"), List.of("all"), "status"));
    list.add(ns("", "v1", "configmaps", "ConfigMap", List.of("cm"), List.of()));
    list.add(ns("", "v1", "secrets", "Secret", List.of(), List.of()));
    list.add(ns("", "v1", "serviceaccounts", "ServiceAccount", List.of("sa"), List.of()));
    list.add(ns("", "v1", "events", "Event", List.of("ev"), List.of()));
    list.add(ns("", "v1", "endpoints", "Endpoints", List.of("ep"), List.of()));
    list.add(
        ns(
            "",
            "v1",
            "persistentvolumeclaims",
            "PersistentVolumeClaim",
            List.of("pvc"),
            List.of(),
            "status"));
    list.add(
        ns("", "v1", "resourcequotas", "ResourceQuota", List.of("quota"), List.of(), "status"));
    list.add(
        new ApiResource(
            "",
            "v1",
            "bindings",
            "binding",
            "Binding",
            true,
            List.of("create"),
            List.of(),
            List.of(),
            List.of()));
    list.add(cluster("", "v1", "namespaces", "Namespace", List.of("ns"), "status", "finalize"));
    // Reviews a kubelet asks for; answered, never stored (Reviews).
    list.add(review("authentication.k8s.io", "tokenreviews", "TokenReview"));
    list.add(review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview"));
    list.add(cluster("", "v1", "nodes", "Node", List.of("no"), "status"));
    list.add(cluster("", "v1", "persistentvolumes", "PersistentVolume", List.of("pv"), "status"));
    // apps/v1: stored only; no controllers run them
    list.add(
        ns("apps", "v1", "deployments", "Deployment", List.of("deploy"), List.of("all"), "status"));
    list.add(
        ns("apps", "v1", "statefulsets", "StatefulSet", List.of("sts"), List.of("all"), "status"));
    list.add(
        ns("apps", "v1", "replicasets", "ReplicaSet", List.of("rs"), List.of("all"), "status"));
    list.add(ns("apps", "v1", "daemonsets", "DaemonSet", List.of("ds"), List.of("all"), "status"));
    // batch/v1: the MPIJob launcher is a Job; the sandbox's stand-in controller runs it
    list.add(ns("batch", "v1", "jobs", "Job", List.of(), List.of("all"), "status"));
    list.add(ns("batch", "v1", "cronjobs", "CronJob", List.of("cj"), List.of("all"), "status"));
    String rbac = "rbac.authorization.k8s.io";
    list.add(ns(rbac, "v1", "roles", "Role", List.of(), List.of()));
    list.add(ns(rbac, "v1", "rolebindings", "RoleBinding", List.of(), List.of()));
    list.add(cluster(rbac, "v1", "clusterroles", "ClusterRole", List.of()));
    list.add(cluster(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", List.of()));
    list.add(ns("coordination.k8s.io", "v1", "leases", "Lease", List.of(), List.of()));
    list.add(cluster("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", List.of("pc")));
    list.add(ns("events.k8s.io", "v1", "events", "Event", List.of("ev"), List.of()));
    list.add(
        ns(
            "policy",
            "v1",
            "poddisruptionbudgets",
            "PodDisruptionBudget",
            List.of("pdb"),
            List.of(),
            "status"));
    list.add(
        cluster(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            List.of("crd", "crds"),
            "status"));
    return list;
  }

  private static ApiResource ns(
      String group,
      String version,
      String plural,
      String kind,
      List<String> shortNames,
      List<String> categories,
      String... subresources) {
    return new ApiResource(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        true,
        ApiResource.ALL_VERBS,
        shortNames,
        categories,
        List.of(subresources));
  }

  private static ApiResource cluster(
      String group,
      String version,
      String plural,
      String kind,
      List<String> shortNames,
      String... subresources) {
    return new ApiResource(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        false,
        ApiResource.ALL_VERBS,
        shortNames,
        List.of(),
        List.of(subresources));
  }
}
