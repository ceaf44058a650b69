package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The review APIs a kubelet calls back on (with {@code --authentication-token-webhook
 * --authorization-mode=Webhook}), as the sandbox API server answers them. TokenReview: the only
 * token it vouches for is the one it presents itself when it calls a kubelet for a pod's log (user
 * {@code system:kube-apiserver}, group {@code system:masters}); any other is not authenticated.
 * SubjectAccessReview: allowed, because the sandbox API server authorizes every request (it has no
 * RBAC, like kube-apiserver with {@code --authorization-mode=AlwaysAllow}). Reviews are answered,
 * never stored.
 */
final class Reviews {

  static final String API_SERVER_USER = "system:kube-apiserver";

  /** The bearer token the API server presents to kubelets; new for every server. */
  final String kubeletClientToken;

  Reviews() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    kubeletClientToken = HexFormat.of().formatHex(bytes);
  }

  /** The review with its status filled in. */
  ObjectNode tokenReview(ObjectNode review) {
    String token = review.path("spec").path("token").asText("");
    ObjectNode status = review.putObject("status");
    if (token.equals(kubeletClientToken)) {
      status.put("authenticated", true);
      ObjectNode user = status.putObject("user");
      user.put("username", API_SERVER_USER);
      user.putArray("groups").add("system:masters").add("system:authenticated");
    } else {
      status.put("authenticated", false);
      status.put("error", "the sandbox API server does not know this token");
    }
    return review;
  }

  ObjectNode subjectAccessReview(ObjectNode review) {
    ObjectNode status = review.putObject("status");
    status.put("allowed", true);
    status.put("reason", "the Strata sandbox API server authorizes every request (no RBAC)");
    return review;
  }
}
