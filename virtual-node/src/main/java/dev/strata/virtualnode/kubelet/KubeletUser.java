package dev.strata.virtualnode.kubelet;

import java.util.List;
import java.util.Map;

/** Who called the kubelet endpoints, as TokenReview or the client certificate says. */
public record KubeletUser(
    String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  public KubeletUser {
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
