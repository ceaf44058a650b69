package dev.strata.virtualnode.kubelet;

/**
 * What a kubelet request asks to do, in the terms a SubjectAccessReview checks: verb from the HTTP
 * method, the {@code nodes} resource, a subresource from the path. The same mapping a kubelet uses,
 * so the API server's usual grant ({@code nodes/proxy} for logs and exec) works unchanged.
 */
public record RequestAttributes(String verb, String subresource) {
  public static RequestAttributes of(String method, String path) {
    return new RequestAttributes(verb(method), subresource(path));
  }

  static String verb(String method) {
    return switch (method.toUpperCase(java.util.Locale.ROOT)) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "get";
    };
  }

  static String subresource(String path) {
    if (startsWithSegment(path, "/stats")) {
      return "stats";
    }
    if (startsWithSegment(path, "/metrics")) {
      return "metrics";
    }
    if (startsWithSegment(path, "/logs")) {
      return "log";
    }
    if (startsWithSegment(path, "/spec")) {
      return "spec";
    }
    if (startsWithSegment(path, "/checkpoint")) {
      return "checkpoint";
    }
    // containerLogs, exec, attach, portForward, run, pods and everything else
    return "proxy";
  }

  private static boolean startsWithSegment(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
