package dev.strata.virtualnode.forward;

import dev.strata.operators.common.GangMetadata;
import dev.strata.virtualnode.node.NodeKeys;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a tenant pod into the pod that runs for it in the compute cluster, removing or translating
 * what cannot cross the boundary. Pure: no API calls.
 */
public final class PodTranslator {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The virtual node's taint (shared conventions); meaningless in the compute cluster. */
  private final ForwardingConfig config;

  private final ComputeNamespaces namespaces;

  public PodTranslator(ForwardingConfig config) {
    this.config = config;
    this.namespaces = ComputeNamespaces.of(config);
  }

  public ComputeNamespaces namespaces() {
    return namespaces;
  }

  /** The compute pod for {@code tenant}, as it should be created. */
  public Pod toCompute(Pod tenant) {
    ObjectMeta source = tenant.getMetadata();
    String tenantNs = source.getNamespace();
    String computeNs = namespaces.of(tenantNs);
    PodSpec spec = JSON.clone(tenant.getSpec());

    spec.setNodeName(null);
    spec.setSchedulerName(config.computeScheduler());
    // The tenant's service accounts and their tokens mean nothing to the compute API server.
    spec.setServiceAccountName(null);
    spec.setServiceAccount(null);
    spec.setAutomountServiceAccountToken(false);
    dropServiceAccountTokenVolumes(spec);
    // Service links would inject the compute namespace's Services as env, not the tenant's.
    spec.setEnableServiceLinks(false);
    spec.setEphemeralContainers(null);

    String tier = config.tierOf(spec.getPriorityClassName());
    // Tenant priority classes do not exist over there; the tier's class decides the priority.
    spec.setPriorityClassName(config.tierPriorityClasses().get(tier));
    spec.setPriority(null);
    spec.setPreemptionPolicy(null);

    if (spec.getTolerations() != null) {
      spec.setTolerations(
          spec.getTolerations().stream()
              .filter(t -> !NodeKeys.TAINT_KEY.equals(t.getKey()))
              .collect(Collectors.toCollection(ArrayList::new)));
    }
    translateDns(spec, tenantNs, computeNs);
    PodReferences.containers(spec).forEach(c -> translateEnv(c, tenant, tenantNs, computeNs));

    Map<String, String> labels = new LinkedHashMap<>(nullSafe(source.getLabels()));
    Map<String, String> annotations = new LinkedHashMap<>(nullSafe(source.getAnnotations()));
    rewriteGang(labels, annotations, tenantNs);
    annotations.put(
        ComputeNames.FORWARDED_ANNOTATIONS,
        String.join(",", new TreeSet<>(nullSafe(source.getAnnotations()).keySet())));
    labels.putAll(ownership(tenantNs, source.getName(), source.getUid()));
    labels.put(ComputeNames.TIER, tier);

    ObjectMeta meta = new ObjectMeta();
    meta.setName(source.getName());
    meta.setNamespace(computeNs);
    meta.setLabels(labels);
    meta.setAnnotations(annotations);
    Pod pod = new Pod();
    pod.setMetadata(meta);
    pod.setSpec(spec);
    return pod;
  }

  /** The labels that mark a compute object as this forwarder's copy of a tenant object. */
  public Map<String, String> ownership(String tenantNs, String name, String uid) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ComputeNames.TENANT, config.tenant());
    labels.put(ComputeNames.MANAGED_BY, ComputeNames.managedBy(config.tenant()));
    labels.put(ComputeNames.SOURCE_NAMESPACE, tenantNs);
    labels.put(ComputeNames.SOURCE_NAME, name);
    if (uid != null) {
      labels.put(ComputeNames.SOURCE_UID, uid);
    }
    return labels;
  }

  /**
   * The existing compute pod with the tenant's later changes applied (labels, annotations,
   * container images, activeDeadlineSeconds), or empty when nothing changed. Annotations the
   * compute side added (the scheduler's GPU indices, say) are kept.
   */
  public Optional<Pod> update(Pod existing, Pod tenant) {
    Pod desired = toCompute(tenant);
    Pod updated = JSON.clone(existing);
    ObjectMeta meta = updated.getMetadata();
    meta.setLabels(desired.getMetadata().getLabels());
    Map<String, String> annotations = new LinkedHashMap<>(nullSafe(meta.getAnnotations()));
    String previous = annotations.getOrDefault(ComputeNames.FORWARDED_ANNOTATIONS, "");
    for (String key : previous.split(",")) {
      annotations.remove(key);
    }
    annotations.putAll(desired.getMetadata().getAnnotations());
    meta.setAnnotations(annotations);
    PodSpec spec = updated.getSpec();
    spec.setActiveDeadlineSeconds(desired.getSpec().getActiveDeadlineSeconds());
    copyImages(desired.getSpec().getContainers(), spec.getContainers());
    copyImages(desired.getSpec().getInitContainers(), spec.getInitContainers());
    boolean changed =
        !Objects.equals(existing.getMetadata().getLabels(), meta.getLabels())
            || !Objects.equals(nullSafe(existing.getMetadata().getAnnotations()), annotations)
            || !Objects.equals(existing.getSpec(), spec);
    return changed ? Optional.of(updated) : Optional.empty();
  }

  private static void copyImages(List<Container> from, List<Container> to) {
    if (from == null || to == null) {
      return;
    }
    Map<String, String> images =
        from.stream().collect(Collectors.toMap(Container::getName, c -> c.getImage(), (a, b) -> a));
    to.forEach(c -> c.setImage(images.getOrDefault(c.getName(), c.getImage())));
  }

  private void rewriteGang(
      Map<String, String> labels, Map<String, String> annotations, String tenantNs) {
    for (String key : List.of(GangMetadata.GANG_NAME, GangMetadata.SCHEDULER_PLUGINS_POD_GROUP)) {
      labels.computeIfPresent(key, (k, v) -> ComputeNames.gang(config.tenant(), tenantNs, v));
    }
    annotations.computeIfPresent(
        GangMetadata.VOLCANO_GROUP_NAME, (k, v) -> ComputeNames.gang(config.tenant(), tenantNs, v));
  }

  /** Projected volumes carrying a service-account token, and their mounts. */
  private static void dropServiceAccountTokenVolumes(PodSpec spec) {
    if (spec.getVolumes() == null) {
      return;
    }
    Set<String> dropped = new TreeSet<>();
    List<Volume> kept = new ArrayList<>();
    for (Volume v : spec.getVolumes()) {
      boolean token =
          v.getProjected() != null
              && v.getProjected().getSources() != null
              && v.getProjected().getSources().stream()
                  .map(VolumeProjection::getServiceAccountToken)
                  .anyMatch(Objects::nonNull);
      if (token) {
        dropped.add(v.getName());
      } else {
        kept.add(v);
      }
    }
    spec.setVolumes(kept);
    PodReferences.containers(spec)
        .filter(c -> c.getVolumeMounts() != null)
        .forEach(
            c ->
                c.setVolumeMounts(
                    c.getVolumeMounts().stream()
                        .filter(m -> !dropped.contains(m.getName()))
                        .collect(Collectors.toCollection(ArrayList::new))));
  }

  /**
   * Keeps hostname and subdomain (names are kept, and the subdomain's Service is forwarded under
   * its own name) and moves search paths naming the tenant namespace to the compute namespace.
   */
  private static void translateDns(PodSpec spec, String tenantNs, String computeNs) {
    PodDNSConfig dns = spec.getDnsConfig();
    if (dns != null && dns.getSearches() != null) {
      dns.setSearches(
          dns.getSearches().stream()
              .map(s -> rewriteNamespace(s, tenantNs, computeNs))
              .collect(Collectors.toCollection(ArrayList::new)));
    }
  }

  /**
   * The downward API would report the compute pod's namespace and uid; the workload asked about the
   * tenant pod's. Literal values naming {@code <x>.<tenant-ns>.svc} are moved to the compute
   * namespace so that upstream-style addresses in env (TF_CONFIG, hostfiles) still resolve.
   */
  private static void translateEnv(Container c, Pod tenant, String tenantNs, String computeNs) {
    if (c.getEnv() == null) {
      return;
    }
    for (EnvVar env : c.getEnv()) {
      if (env.getValue() != null) {
        env.setValue(rewriteNamespace(env.getValue(), tenantNs, computeNs));
      }
      if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null) {
        String literal =
            switch (env.getValueFrom().getFieldRef().getFieldPath()) {
              case "metadata.namespace" -> tenantNs;
              case "metadata.uid" -> tenant.getMetadata().getUid();
              case "spec.serviceAccountName" -> tenant.getSpec().getServiceAccountName();
              default -> null;
            };
        if (literal != null) {
          env.setValueFrom(null);
          env.setValue(literal);
        }
      }
    }
  }

  /** Replaces the namespace label in {@code <...>.<tenant-ns>.svc[...]} names inside text. */
  static String rewriteNamespace(String text, String tenantNs, String computeNs) {
    if (!text.contains(tenantNs + ".svc")) {
      // Most values name no service; no pattern to compile for them on every sync.
      return text;
    }
    Pattern p = Pattern.compile("(^|[.])" + Pattern.quote(tenantNs) + "(\\.svc(?![-a-z0-9]))");
    Matcher m = p.matcher(text);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + computeNs + r.group(2)));
  }

  private static <K, V> Map<K, V> nullSafe(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
