package dev.strata.virtualnode.isolation;

import java.util.List;
import java.util.Objects;

/**
 * Which compute API requests a tenant's virtual node may make: anything inside namespaces that
 * start with the tenant's prefix, reading its own namespace objects, reading nodes and discovery
 * documents; nothing else. Pure. This is the node's own fence; the compute cluster's RBAC (the
 * compute chart) is the wall behind it.
 */
public final class TenantScope {
  private final String tenant;
  private final String namespacePrefix;

  public TenantScope(String tenant, String namespacePrefix) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    if (namespacePrefix == null || namespacePrefix.isEmpty()) {
      throw new IllegalArgumentException("a tenant needs a non-empty namespace prefix");
    }
    this.namespacePrefix = namespacePrefix;
  }

  public String tenant() {
    return tenant;
  }

  public String namespacePrefix() {
    return namespacePrefix;
  }

  public boolean ownsNamespace(String namespace) {
    return namespace != null
        && namespace.startsWith(namespacePrefix)
        && namespace.length() > namespacePrefix.length();
  }

  /**
   * Null when the request is allowed, else why not.
   *
   * @param method the HTTP method
   * @param path the URL path, e.g. {@code /api/v1/namespaces/a-team/pods}
   */
  public String denial(String method, String path) {
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    boolean read = method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD");
    // Discovery: /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>
    if (read
        && (parts.equals(List.of("version"))
            || (parts.get(0).equals("api") && parts.size() <= 2)
            || (parts.get(0).equals("apis") && parts.size() <= 3))) {
      return null;
    }
    int resourceAt;
    if (parts.get(0).equals("api") && parts.size() >= 3) {
      resourceAt = 2;
    } else if (parts.get(0).equals("apis") && parts.size() >= 4) {
      resourceAt = 3;
    } else {
      return "tenant " + tenant + " may not call " + method + " " + path;
    }
    String resource = parts.get(resourceAt);
    if (resource.equals("namespaces")) {
      if (parts.size() == resourceAt + 1) {
        return "tenant " + tenant + " may not list or create namespaces";
      }
      String namespace = parts.get(resourceAt + 1);
      if (!ownsNamespace(namespace)) {
        return "namespace "
            + namespace
            + " is not tenant "
            + tenant
            + "'s (prefix "
            + namespacePrefix
            + ")";
      }
      if (parts.size() == resourceAt + 2 && !read) {
        return "tenant " + tenant + " may not change namespace " + namespace + " itself";
      }
      return null;
    }
    if (resource.equals("nodes") && read) {
      return null;
    }
    return "tenant " + tenant + " may not " + method + " cluster-wide " + resource;
  }
}
