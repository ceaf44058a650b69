package dev.strata.virtualnode.kubelet;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}} with its query, checked. Pure.
 *
 * @param tailLines null for all lines
 * @param sinceSeconds null for no limit
 * @param sinceTime RFC 3339, null for no limit
 * @param limitBytes null for no limit
 */
public record ContainerLogsRequest(
    String namespace,
    String pod,
    String container,
    boolean follow,
    boolean previous,
    boolean timestamps,
    Long tailLines,
    Long sinceSeconds,
    String sinceTime,
    Long limitBytes) {

  public static final String PREFIX = "/containerLogs/";

  /** Bad input: the message goes back with 400. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  public static ContainerLogsRequest parse(String rawPath, String rawQuery) throws Invalid {
    if (!rawPath.startsWith(PREFIX)) {
      throw new Invalid("not a container log path: " + rawPath);
    }
    List<String> parts = List.of(rawPath.substring(PREFIX.length()).split("/", -1));
    if (parts.size() != 3 || parts.stream().anyMatch(String::isEmpty)) {
      throw new Invalid("expected /containerLogs/{namespace}/{pod}/{container}, got " + rawPath);
    }
    Map<String, String> query = query(rawQuery);
    Long sinceSeconds = positive(query, "sinceSeconds", 1);
    String sinceTime = query.get("sinceTime");
    if (sinceTime != null) {
      try {
        OffsetDateTime.parse(sinceTime);
      } catch (DateTimeParseException e) {
        throw new Invalid("sinceTime must be an RFC 3339 time, got '" + sinceTime + "'");
      }
    }
    if (sinceSeconds != null && sinceTime != null) {
      throw new Invalid("at most one of sinceTime or sinceSeconds may be specified");
    }
    return new ContainerLogsRequest(
        decode(parts.get(0)),
        decode(parts.get(1)),
        decode(parts.get(2)),
        bool(query, "follow"),
        bool(query, "previous"),
        bool(query, "timestamps"),
        positive(query, "tailLines", 0),
        sinceSeconds,
        sinceTime,
        positive(query, "limitBytes", 1));
  }

  /** The same options as a query for the compute API's {@code pods/log}. */
  public String computeLogQuery() {
    StringJoiner query = new StringJoiner("&");
    query.add("container=" + URLEncoder.encode(container, StandardCharsets.UTF_8));
    if (follow) {
      query.add("follow=true");
    }
    if (previous) {
      query.add("previous=true");
    }
    if (timestamps) {
      query.add("timestamps=true");
    }
    if (tailLines != null) {
      query.add("tailLines=" + tailLines);
    }
    if (sinceSeconds != null) {
      query.add("sinceSeconds=" + sinceSeconds);
    }
    if (sinceTime != null) {
      query.add("sinceTime=" + URLEncoder.encode(sinceTime, StandardCharsets.UTF_8));
    }
    if (limitBytes != null) {
      query.add("limitBytes=" + limitBytes);
    }
    return query.toString();
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.put(key, value);
    }
    return values;
  }

  private static boolean bool(Map<String, String> query, String key) throws Invalid {
    String value = query.get(key);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new Invalid(key + " must be true or false, got '" + value + "'");
    };
  }

  private static Long positive(Map<String, String> query, String key, long min) throws Invalid {
    String value = query.get(key);
    if (value == null) {
      return null;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min) {
        throw new Invalid(key + " must be at least " + min + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new Invalid(key + " must be a whole number, got '" + value + "'");
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
