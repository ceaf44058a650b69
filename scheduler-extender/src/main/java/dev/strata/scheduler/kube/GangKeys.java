package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.Tier;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a pod's gang, tenant and tier.
 *
 * <ul>
 *   <li>Gang: label {@value KubeKeys#GANG_NAME_LABEL}, else label {@value KubeKeys#POD_GROUP_LABEL}
 *       (scheduler-plugins), else annotation {@value KubeKeys#GROUP_NAME_ANNOTATION} (Volcano),
 *       else the pod alone.
 *   <li>Minimum members: annotation {@value KubeKeys#GANG_MIN_MEMBER_ANNOTATION}, a positive
 *       integer; absent means "the pods present" (0 in {@link GangKey#minMember()}).
 *   <li>Tenant: label {@value KubeKeys#TENANT_LABEL}, else the namespace.
 *   <li>Tier: label {@value KubeKeys#TIER_LABEL} {@code high} or {@code low} (any case); absent
 *       means high.
 * </ul>
 *
 * A malformed minimum or tier is {@link Translation.Rejected}, never guessed.
 */
public final class GangKeys {

  private GangKeys() {}

  public static Translation<GangKey> of(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
      return Translation.rejected("pod has no name");
    }
    String name = meta.getName();
    String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();

    String group = nonEmpty(labels.get(KubeKeys.GANG_NAME_LABEL));
    if (group == null) {
      group = nonEmpty(labels.get(KubeKeys.POD_GROUP_LABEL));
    }
    if (group == null) {
      group = nonEmpty(annotations.get(KubeKeys.GROUP_NAME_ANNOTATION));
    }
    boolean alone = group == null;

    int minMember = 0;
    String min = annotations.get(KubeKeys.GANG_MIN_MEMBER_ANNOTATION);
    if (!alone && min != null) {
      try {
        minMember = Integer.parseInt(min.trim());
      } catch (NumberFormatException e) {
        minMember = -1;
      }
      if (minMember < 1) {
        return Translation.rejected(
            "pod "
                + name
                + " has annotation "
                + KubeKeys.GANG_MIN_MEMBER_ANNOTATION
                + "='"
                + min
                + "'; it must be a positive whole number");
      }
    }

    String tenant = nonEmpty(labels.get(KubeKeys.TENANT_LABEL));
    if (tenant == null) {
      tenant = namespace;
    }

    Tier tier = Tier.HIGH;
    String tierValue = labels.get(KubeKeys.TIER_LABEL);
    if (tierValue != null) {
      switch (tierValue.trim().toLowerCase(Locale.ROOT)) {
        case "high" -> tier = Tier.HIGH;
        case "low" -> tier = Tier.LOW;
        default -> {
          return Translation.rejected(
              "pod "
                  + name
                  + " has label "
                  + KubeKeys.TIER_LABEL
                  + "='"
                  + tierValue
                  + "'; it must be high or low");
        }
      }
    }
    return Translation.ok(
        new GangKey(namespace, alone ? name : group, alone, alone ? 1 : minMember, tenant, tier));
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
