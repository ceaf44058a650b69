package dev.strata.sandbox.bench;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts API requests by verb and resource, the way an API server's audit log would: a GET with
 * watch=true is a WATCH, a GET of a collection a LIST.
 */
final class RequestTally {
  private static final Pattern RESOURCE =
      Pattern.compile(
          "^/(?:api/v1|apis/[^/]+/[^/]+)(?:/namespaces/[^/]+)?/([a-z]+)(/[^/?]+)?(/status)?");

  private final Map<String, Integer> byVerb = new TreeMap<>();
  private final Map<String, Integer> byVerbAndResource = new TreeMap<>();

  void add(RecordedRequest request) {
    String path = request.getPath();
    Matcher m = RESOURCE.matcher(path);
    String resource = m.find() ? m.group(1) + (m.group(3) != null ? "/status" : "") : path;
    boolean named = m.find(0) && m.group(2) != null;
    String verb =
        switch (request.getMethod()) {
          case "GET" -> path.contains("watch=true") ? "WATCH" : named ? "GET" : "LIST";
          case "POST" -> "CREATE";
          case "PUT" -> "UPDATE";
          case "PATCH" -> "PATCH";
          case "DELETE" -> "DELETE";
          default -> request.getMethod();
        };
    byVerb.merge(verb, 1, Integer::sum);
    byVerbAndResource.merge(verb + " " + resource, 1, Integer::sum);
  }

  Map<String, Integer> byVerb() {
    return byVerb;
  }

  Map<String, Integer> byVerbAndResource() {
    return byVerbAndResource;
  }

  int total() {
    return byVerb.values().stream().mapToInt(Integer::intValue).sum();
  }

  int writes() {
    return byVerb.entrySet().stream()
        .filter(
            e ->
                !e.getKey().equals("GET")
                    && !e.getKey().equals("LIST")
                    && !e.getKey().equals("WATCH"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }
}
