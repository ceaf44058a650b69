package dev.strata.virtualnode.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Authenticates and authorizes callers of the kubelet endpoints the way a kubelet with {@code
 * --anonymous-auth=false --authentication-token-webhook --authorization-mode=Webhook
 * --client-ca-file} does: a client certificate signed by the client CA (user = CN, groups = O), or
 * a bearer token the tenant API server vouches for in a TokenReview; then a SubjectAccessReview for
 * the {@code nodes/<subresource>} of this node.
 */
public final class KubeletAuth {
  private final KubernetesClient tenant;
  private final String nodeName;

  public KubeletAuth(KubernetesClient tenant, String nodeName) {
    this.tenant = tenant;
    this.nodeName = nodeName;
  }

  /** Empty: unauthenticated (401). */
  public Optional<KubeletUser> authenticate(HttpExchange exchange) {
    Optional<KubeletUser> fromCertificate = fromClientCertificate(exchange);
    if (fromCertificate.isPresent()) {
      return fromCertificate;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    TokenReview review =
        tenant
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
      return Optional.empty();
    }
    UserInfo user = review.getStatus().getUser();
    if (user == null || user.getUsername() == null || user.getUsername().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new KubeletUser(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
  }

  private static Optional<KubeletUser> fromClientCertificate(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = https.getSSLSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    // The TLS handshake already verified the chain against the client CA.
    try {
      String user = null;
      List<String> groups = new ArrayList<>();
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          user = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(rdn.getValue().toString());
        }
      }
      return user == null
          ? Optional.empty()
          : Optional.of(new KubeletUser(user, null, groups, null));
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  /** Whether the tenant API server allows {@code user} this request on this node. */
  public boolean authorize(KubeletUser user, RequestAttributes attributes) {
    SubjectAccessReview review =
        tenant
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user.username())
                    .withUid(user.uid())
                    .withGroups(user.groups())
                    .withExtra(user.extra().isEmpty() ? null : user.extra())
                    .withNewResourceAttributes()
                    .withGroup("")
                    .withVersion("v1")
                    .withResource("nodes")
                    .withSubresource(attributes.subresource())
                    .withName(nodeName)
                    .withVerb(attributes.verb())
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }
}
