package dev.strata.virtualnode.forward;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one virtual node forwards one tenant's pods into one compute cluster.
 *
 * @param tenant the tenant's name: a DNS label, at most 40 characters (it becomes part of label
 *     values and namespace names)
 * @param nodeName the virtual node's name in the tenant cluster; pods bound to it are forwarded
 * @param namespaceRule the compute namespace of a tenant namespace, a template with {@code
 *     {tenant}} and {@code {namespace}}; see {@link ComputeNamespaces}
 * @param priorityClassTiers tenant priority class name to compute tier ({@code high} or {@code
 *     low})
 * @param defaultTier the tier of a pod whose priority class is unmapped or absent
 * @param tierPriorityClasses compute tier to the compute cluster's priority class name; a tier
 *     without one leaves the compute pod without a priority class
 * @param computeScheduler the schedulerName compute pods get
 * @param disconnectionGrace how long the compute cluster may be unreachable before forwarded pods
 *     are failed
 * @param gcInterval how often orphaned compute objects are looked for
 * @param workers threads applying changes to both clusters
 * @param computeNamespaces empty: dynamic mode, where the forwarder creates compute namespaces on
 *     demand and watches all namespaces (needs cluster-wide rights: the sandbox). Otherwise fixed
 *     mode: exactly these compute namespaces exist (the compute chart made them), the forwarder
 *     watches each of them, creates none, and names them by the rule without a hash suffix
 */
public record ForwardingConfig(
    String tenant,
    String nodeName,
    String namespaceRule,
    Map<String, String> priorityClassTiers,
    String defaultTier,
    Map<String, String> tierPriorityClasses,
    String computeScheduler,
    Duration disconnectionGrace,
    Duration gcInterval,
    int workers,
    Set<String> computeNamespaces) {

  public static final String TIER_HIGH = "high";
  public static final String TIER_LOW = "low";
  public static final String DEFAULT_NAMESPACE_RULE = "{tenant}-{namespace}";
  public static final String DEFAULT_SCHEDULER = "strata-scheduler";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public ForwardingConfig {
    if (tenant == null || tenant.length() > 40 || !DNS_LABEL.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "tenant name must be a DNS label of at most 40 characters, got '" + tenant + "'");
    }
    if (nodeName == null || nodeName.isEmpty()) {
      throw new IllegalArgumentException("virtual node name is required");
    }
    computeNamespaces = Set.copyOf(computeNamespaces);
    // In fixed mode the tenant's prefix need not spell its name: the set is the fence.
    if (namespaceRule == null
        || (computeNamespaces.isEmpty() && !namespaceRule.contains("{tenant}"))
        || !namespaceRule.contains("{namespace}")) {
      throw new IllegalArgumentException(
          "namespace rule must contain {namespace} (and, unless the compute namespaces are"
              + " fixed, {tenant}) so that every tenant namespace gets its own compute namespace,"
              + " got '"
              + namespaceRule
              + "'");
    }
    priorityClassTiers = Map.copyOf(priorityClassTiers);
    priorityClassTiers.forEach((pc, tier) -> requireTier(tier, "priority class " + pc));
    requireTier(defaultTier, "default tier");
    tierPriorityClasses = Map.copyOf(tierPriorityClasses);
    tierPriorityClasses.keySet().forEach(t -> requireTier(t, "tier priority class"));
    if (computeScheduler == null || computeScheduler.isEmpty()) {
      throw new IllegalArgumentException("compute scheduler name is required");
    }
    if (disconnectionGrace.isNegative() || gcInterval.isNegative() || gcInterval.isZero()) {
      throw new IllegalArgumentException("grace time and GC interval must be positive");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("at least one worker thread is needed");
    }
  }

  private static void requireTier(String tier, String what) {
    if (!TIER_HIGH.equals(tier) && !TIER_LOW.equals(tier)) {
      throw new IllegalArgumentException(what + ": tier must be high or low, got '" + tier + "'");
    }
  }

  /**
   * The defaults: namespaces {@code <tenant>-<namespace>}, unmapped priority classes in the low
   * (elastic) tier, compute priority classes {@code strata-high} and {@code strata-low}, the
   * strata-scheduler, 5 minutes of grace, GC every minute, 8 workers.
   */
  public static ForwardingConfig defaults(String tenant, String nodeName) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        DEFAULT_NAMESPACE_RULE,
        Map.of(),
        TIER_LOW,
        Map.of(TIER_HIGH, "strata-high", TIER_LOW, "strata-low"),
        DEFAULT_SCHEDULER,
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        8,
        Set.of());
  }

  public ForwardingConfig withPriorityClassTiers(Map<String, String> tiers) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        namespaceRule,
        tiers,
        defaultTier,
        tierPriorityClasses,
        computeScheduler,
        disconnectionGrace,
        gcInterval,
        workers,
        computeNamespaces);
  }

  public ForwardingConfig withNamespaceRule(String rule) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        rule,
        priorityClassTiers,
        defaultTier,
        tierPriorityClasses,
        computeScheduler,
        disconnectionGrace,
        gcInterval,
        workers,
        computeNamespaces);
  }

  public ForwardingConfig withTiming(Duration grace, Duration gc) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        namespaceRule,
        priorityClassTiers,
        defaultTier,
        tierPriorityClasses,
        computeScheduler,
        grace,
        gc,
        workers,
        computeNamespaces);
  }

  public ForwardingConfig withWorkers(int threads) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        namespaceRule,
        priorityClassTiers,
        defaultTier,
        tierPriorityClasses,
        computeScheduler,
        disconnectionGrace,
        gcInterval,
        threads,
        computeNamespaces);
  }

  /**
   * Fixed mode with these compute namespaces and the chart's naming, {@code <prefix><namespace>};
   * an empty set returns to dynamic mode.
   */
  public ForwardingConfig withComputeNamespaces(Collection<String> namespaces, String rule) {
    return new ForwardingConfig(
        tenant,
        nodeName,
        rule,
        priorityClassTiers,
        defaultTier,
        tierPriorityClasses,
        computeScheduler,
        disconnectionGrace,
        gcInterval,
        workers,
        Set.copyOf(namespaces));
  }

  /**
   * Whether the compute namespaces are a fixed, provisioned set (see {@link #computeNamespaces}).
   */
  public boolean fixedNamespaces() {
    return !computeNamespaces.isEmpty();
  }

  /** The tier a pod of this tenant priority class runs in on the compute cluster. */
  public String tierOf(String priorityClassName) {
    return priorityClassName == null
        ? defaultTier
        : priorityClassTiers.getOrDefault(priorityClassName, defaultTier);
  }
}
