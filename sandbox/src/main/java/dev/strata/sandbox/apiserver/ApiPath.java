package dev.strata.sandbox.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request path taken apart: which resource, namespace, name and subresource it addresses, and its
 * query parameters.
 *
 * @param raw the path without the query
 * @param group empty for the core group
 * @param version the group version, null for discovery paths above it
 * @param namespace null when not namespaced
 * @param plural null when the path addresses a group version itself
 * @param name null for a collection
 * @param subresource e.g. {@code status}, null for the main resource
 * @param query decoded query parameters (first value of each)
 */
public record ApiPath(
    String raw,
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    Map<String, String> query) {

  /** Parses {@code /api/...} and {@code /apis/...} paths; null for anything else. */
  public static ApiPath parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : pathAndQuery.substring(q + 1));
    List<String> segments =
        List.of(path.replaceAll("^/+|/+$", "").split("/")).stream()
            .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
            .toList();
    String group;
    int rest;
    if (segments.isEmpty()) {
      return null;
    } else if (segments.get(0).equals("api")) {
      group = "";
      rest = 1;
    } else if (segments.get(0).equals("apis") && segments.size() >= 2) {
      group = segments.get(1);
      rest = 2;
    } else {
      return null;
    }
    String version = segments.size() > rest ? segments.get(rest) : null;
    List<String> tail = segments.subList(Math.min(segments.size(), rest + 1), segments.size());
    String namespace = null;
    if (tail.size() >= 3
        && tail.get(0).equals("namespaces")
        && !tail.get(2).equals("status")
        && !tail.get(2).equals("finalize")) {
      namespace = tail.get(1);
      tail = tail.subList(2, tail.size());
    }
    String plural = tail.size() > 0 ? tail.get(0) : null;
    String name = tail.size() > 1 ? tail.get(1) : null;
    String sub = tail.size() > 2 ? String.join("/", tail.subList(2, tail.size())) : null;
    return new ApiPath(path, group, version, namespace, plural, name, sub, query);
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }

  public String param(String key) {
    return query.get(key);
  }

  public boolean isWatch() {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }
}
