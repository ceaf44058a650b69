package dev.strata.virtualnode.forward;

import dev.strata.virtualnode.forward.DependencyRef.Kind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which compute objects have lost their tenant source, decided from the two clusters' caches. Pure:
 * no API calls. Objects that do not carry this tenant's ownership labels are never candidates.
 */
public final class Orphans {
  private Orphans() {}

  /**
   * @param tenantPods every tenant pod the cache holds
   * @param tenantObject the tenant object a reference names, or null
   * @param servicesIn the tenant Services of a namespace
   * @param computeObjects the compute objects labelled as this forwarder's
   */
  public static List<HasMetadata> find(
      ForwardingConfig config,
      Collection<Pod> tenantPods,
      Function<DependencyRef, HasMetadata> tenantObject,
      Function<String, Collection<Service>> servicesIn,
      Collection<? extends HasMetadata> computeObjects) {
    Set<String> livePodSources = new HashSet<>();
    Set<DependencyRef> referenced = new HashSet<>();
    for (Pod pod : tenantPods) {
      if (!config.nodeName().equals(pod.getSpec().getNodeName())) {
        continue;
      }
      livePodSources.add(
          source(
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              pod.getMetadata().getUid()));
      referenced.addAll(PodReferences.of(pod, servicesIn.apply(pod.getMetadata().getNamespace())));
    }
    String managedBy = ComputeNames.managedBy(config.tenant());
    List<HasMetadata> orphans = new ArrayList<>();
    for (HasMetadata object : computeObjects) {
      Map<String, String> labels = object.getMetadata().getLabels();
      if (labels == null
          || !managedBy.equals(labels.get(ComputeNames.MANAGED_BY))
          || !config.tenant().equals(labels.get(ComputeNames.TENANT))) {
        continue;
      }
      String ns = labels.get(ComputeNames.SOURCE_NAMESPACE);
      String name = labels.get(ComputeNames.SOURCE_NAME);
      String uid = labels.get(ComputeNames.SOURCE_UID);
      if (object instanceof Pod) {
        if (!livePodSources.contains(source(ns, name, uid))) {
          orphans.add(object);
        }
        continue;
      }
      Kind kind = kindOf(object);
      if (kind == null) {
        continue;
      }
      DependencyRef ref = new DependencyRef(kind, ns, name);
      HasMetadata source = tenantObject.apply(ref);
      boolean sourceLives = source != null && Objects.equals(source.getMetadata().getUid(), uid);
      if (!sourceLives || !referenced.contains(ref)) {
        orphans.add(object);
      }
    }
    return orphans;
  }

  static Kind kindOf(HasMetadata object) {
    if (object instanceof ConfigMap) {
      return Kind.CONFIG_MAP;
    }
    if (object instanceof Secret) {
      return Kind.SECRET;
    }
    if (object instanceof Service) {
      return Kind.SERVICE;
    }
    if (object instanceof PersistentVolumeClaim) {
      return Kind.PERSISTENT_VOLUME_CLAIM;
    }
    return null;
  }

  private static String source(String ns, String name, String uid) {
    return ns + "/" + name + "/" + uid;
  }
}
