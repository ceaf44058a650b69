package dev.strata.virtualnode.forward;

import java.util.regex.Pattern;

/**
 * Maps a tenant namespace to its namespace in the compute cluster. Every tenant namespace gets a
 * namespace of its own, so objects keep their names across the hop and peers still find each other
 * by short names (design guide, decision 3).
 *
 * <p>The rule's result is used as is when it is a DNS label of at most 63 characters and the
 * tenant's name has no hyphen: then the tenant part ends at the first hyphen and no two (tenant,
 * namespace) pairs render alike. Otherwise a prefix of it is kept and a hash of the pair appended.
 * Compute namespaces are also labelled with their tenant and source, and the forwarder refuses a
 * namespace labelled for another pair, so a hash collision is detected, never merged.
 *
 * <p>That is dynamic mode. In fixed mode (the compute namespaces are provisioned by the compute
 * chart) the name is the rule's result as is, {@code <prefix><namespace>}, the chart's own rule.
 */
public final class ComputeNamespaces {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int MAX = 63;
  private static final int HASH = 10;

  private final String tenant;
  private final String rule;
  private final boolean hashed;

  public ComputeNamespaces(String tenant, String rule) {
    this(tenant, rule, true);
  }

  /**
   * @param hashed false for fixed mode: the rule's result as is, the name the compute chart gives
   *     ({@code <prefix><namespace>}); a result that is no valid name matches no provisioned
   *     namespace, so such a pod is refused, never renamed
   */
  public ComputeNamespaces(String tenant, String rule, boolean hashed) {
    this.tenant = tenant;
    this.rule = rule;
    this.hashed = hashed;
  }

  public static ComputeNamespaces of(ForwardingConfig config) {
    return new ComputeNamespaces(
        config.tenant(), config.namespaceRule(), !config.fixedNamespaces());
  }

  public String of(String tenantNamespace) {
    String rendered = rule.replace("{tenant}", tenant).replace("{namespace}", tenantNamespace);
    if (!hashed) {
      return rendered;
    }
    if (rendered.length() <= MAX
        && DNS_LABEL.matcher(rendered).matches()
        && !tenant.contains("-")) {
      return rendered;
    }
    String prefix = rendered.toLowerCase().replaceAll("[^-a-z0-9]", "-");
    prefix = prefix.substring(0, Math.min(prefix.length(), MAX - HASH - 1));
    prefix = prefix.replaceAll("^-+", "").replaceAll("-+$", "");
    String hash = ComputeNames.hash(tenant + "/" + tenantNamespace, HASH);
    return prefix.isEmpty() ? "ns-" + hash : prefix + "-" + hash;
  }
}
