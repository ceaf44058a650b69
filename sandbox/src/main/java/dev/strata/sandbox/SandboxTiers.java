package dev.strata.sandbox;

import dev.strata.sandbox.sim.NodeInventorySpec;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.virtualnode.forward.ForwardingConfig;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's tiers, set up as a tenant admin and the compute cluster's chart would: the priority
 * classes {@code strata-high} and {@code strata-low} exist in every cluster, each tenant's virtual
 * node maps the tenant's classes of those names to the tiers of the same names (a pod without a
 * class is low), and each tenant's HIGH quota is an equal share of the compute cluster's GPUs.
 */
public final class SandboxTiers {
  public static final String HIGH_CLASS = "strata-high";
  public static final String LOW_CLASS = "strata-low";

  private SandboxTiers() {}

  /** Tenant priority class to tier, for the virtual nodes. */
  public static Map<String, String> priorityClassTiers() {
    return Map.of(HIGH_CLASS, ForwardingConfig.TIER_HIGH, LOW_CLASS, ForwardingConfig.TIER_LOW);
  }

  /**
   * Each tenant's HIGH quota: the compute cluster's GPUs shared equally, rounded down, so the
   * quotas together never promise more than there is.
   */
  public static List<TenantQuota> quotas(List<String> tenants, NodeInventorySpec nodes) {
    int gpus =
        nodes.counts().entrySet().stream().mapToInt(e -> e.getKey().gpus() * e.getValue()).sum();
    List<TenantQuota> quotas = new ArrayList<>();
    for (String tenant : tenants) {
      quotas.add(new TenantQuota(tenant, gpus / tenants.size()));
    }
    return quotas;
  }

  /** Creates the two priority classes, with the values and policies of the compute chart. */
  public static void createPriorityClassesIn(KubernetesClient client) {
    client.resource(priorityClass(HIGH_CLASS, 100_000, "PreemptLowerPriority", "high")).create();
    client.resource(priorityClass(LOW_CLASS, 1_000, "Never", "low")).create();
  }

  private static PriorityClass priorityClass(
      String name, int value, String preemptionPolicy, String tier) {
    return new PriorityClassBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("strata.dev/tier", tier)
        .endMetadata()
        .withValue(value)
        .withPreemptionPolicy(preemptionPolicy)
        .withGlobalDefault(false)
        .withDescription(
            "Strata "
                + tier
                + " tier"
                + (tier.equals("high")
                    ? ": guaranteed within the tenant's quota; preempts the low tier."
                    : ": borrows idle GPUs beyond quota; never preempts and gives way to the high"
                        + " tier."))
        .build();
  }
}
