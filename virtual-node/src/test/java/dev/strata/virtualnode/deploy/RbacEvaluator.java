package dev.strata.virtualnode.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Kubernetes RBAC's allow decision over a set of rendered objects, small enough to read: a request
 * is allowed when some binding that names the subject (directly, or through the service-account
 * groups) points at a role with a rule matching API group, resource (and subresource), verb and
 * resource name; a RoleBinding grants only in its own namespace, a ClusterRoleBinding everywhere.
 * RBAC only adds, so nothing else can deny.
 */
final class RbacEvaluator {
  /** One API request; namespace null for cluster-scoped resources or all-namespace lists. */
  record Request(
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name) {
    static Request of(String verb, String resource, String namespace, String name) {
      return new Request(verb, "", resource, null, namespace, name);
    }
  }

  private final List<Role> roles;
  private final List<ClusterRole> clusterRoles;
  private final List<RoleBinding> roleBindings;
  private final List<ClusterRoleBinding> clusterRoleBindings;

  RbacEvaluator(List<HasMetadata> objects) {
    roles = Charts.all(objects, Role.class);
    clusterRoles = Charts.all(objects, ClusterRole.class);
    roleBindings = Charts.all(objects, RoleBinding.class);
    clusterRoleBindings = Charts.all(objects, ClusterRoleBinding.class);
  }

  boolean allowed(String serviceAccountNamespace, String serviceAccount, Request request) {
    Stream<List<PolicyRule>> cluster =
        clusterRoleBindings.stream()
            .filter(b -> names(b.getSubjects(), serviceAccountNamespace, serviceAccount))
            .map(b -> rules(b.getRoleRef(), null));
    Stream<List<PolicyRule>> namespaced =
        roleBindings.stream()
            .filter(b -> request.namespace() != null)
            .filter(b -> b.getMetadata().getNamespace().equals(request.namespace()))
            .filter(b -> names(b.getSubjects(), serviceAccountNamespace, serviceAccount))
            .map(b -> rules(b.getRoleRef(), b.getMetadata().getNamespace()));
    return Stream.concat(cluster, namespaced)
        .flatMap(List::stream)
        .anyMatch(rule -> matches(rule, request));
  }

  private static boolean names(List<Subject> subjects, String namespace, String serviceAccount) {
    if (subjects == null) {
      return false;
    }
    return subjects.stream()
        .anyMatch(
            s ->
                switch (s.getKind()) {
                  case "ServiceAccount" ->
                      s.getName().equals(serviceAccount)
                          && Objects.equals(s.getNamespace(), namespace);
                  case "Group" ->
                      List.of(
                              "system:serviceaccounts",
                              "system:serviceaccounts:" + namespace,
                              "system:authenticated")
                          .contains(s.getName());
                  case "User" ->
                      s.getName()
                          .equals("system:serviceaccount:" + namespace + ":" + serviceAccount);
                  default -> false;
                });
  }

  private List<PolicyRule> rules(RoleRef ref, String bindingNamespace) {
    if (ref.getKind().equals("ClusterRole")) {
      return clusterRoles.stream()
          .filter(r -> r.getMetadata().getName().equals(ref.getName()))
          .flatMap(r -> r.getRules() == null ? Stream.empty() : r.getRules().stream())
          .toList();
    }
    return roles.stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName()))
        .filter(r -> r.getMetadata().getNamespace().equals(bindingNamespace))
        .flatMap(r -> r.getRules() == null ? Stream.empty() : r.getRules().stream())
        .toList();
  }

  private static boolean matches(PolicyRule rule, Request request) {
    String resource =
        request.subresource() == null
            ? request.resource()
            : request.resource() + "/" + request.subresource();
    return contains(rule.getApiGroups(), request.apiGroup())
        && (contains(rule.getResources(), resource)
            || (request.subresource() == null && contains(rule.getResources(), "*"))
            || (request.subresource() != null
                && contains(rule.getResources(), "*/" + request.subresource())))
        && contains(rule.getVerbs(), request.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            || (request.name() != null && rule.getResourceNames().contains(request.name())));
  }

  private static boolean contains(List<String> values, String value) {
    return values != null && (values.contains(value) || values.contains("*"));
  }
}
