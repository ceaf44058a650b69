package dev.strata.virtualnode.isolation;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * A fabric8 HTTP interceptor on the compute client: refuses, before anything leaves the process, a
 * request outside the tenant's scope, so a bug in the virtual node cannot touch another tenant's
 * objects even where the compute cluster's RBAC would be too wide.
 */
public final class TenantScopeGuard implements Interceptor {
  public static final String NAME = "strata-tenant-scope";

  private final TenantScope scope;

  public TenantScopeGuard(TenantScope scope) {
    this.scope = scope;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String denial = scope.denial(request.method(), request.uri().getRawPath());
    if (denial != null) {
      throw new TenantScopeViolation(denial);
    }
  }

  /** A request the guard refused; code 403, as the compute cluster's RBAC would answer. */
  public static final class TenantScopeViolation extends KubernetesClientException {
    public TenantScopeViolation(String message) {
      super(message, 403, null);
    }
  }
}
