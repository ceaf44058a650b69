package dev.strata.virtualnode.forward;

import dev.strata.virtualnode.forward.DependencyRef.Kind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a tenant pod references and must therefore find in the compute cluster: ConfigMaps and
 * Secrets of its volumes, projected volumes, env, envFrom and imagePullSecrets; the headless
 * Services that give it its name; its PersistentVolumeClaims.
 */
public final class PodReferences {
  /** Created by Kubernetes in every namespace; the compute namespace has its own. */
  static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";

  private PodReferences() {}

  /**
   * @param servicesInNamespace the tenant Services of the pod's namespace
   */
  public static Set<DependencyRef> of(Pod pod, Collection<Service> servicesInNamespace) {
    String ns = pod.getMetadata().getNamespace();
    PodSpec spec = pod.getSpec();
    Set<DependencyRef> refs = new LinkedHashSet<>();
    if (spec.getVolumes() != null) {
      spec.getVolumes()
          .forEach(
              v -> {
                if (v.getConfigMap() != null) {
                  add(refs, Kind.CONFIG_MAP, ns, v.getConfigMap().getName());
                }
                if (v.getSecret() != null) {
                  add(refs, Kind.SECRET, ns, v.getSecret().getSecretName());
                }
                if (v.getPersistentVolumeClaim() != null) {
                  add(
                      refs,
                      Kind.PERSISTENT_VOLUME_CLAIM,
                      ns,
                      v.getPersistentVolumeClaim().getClaimName());
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                  for (VolumeProjection p : v.getProjected().getSources()) {
                    if (p.getConfigMap() != null) {
                      add(refs, Kind.CONFIG_MAP, ns, p.getConfigMap().getName());
                    }
                    if (p.getSecret() != null) {
                      add(refs, Kind.SECRET, ns, p.getSecret().getName());
                    }
                  }
                }
              });
    }
    containers(spec)
        .forEach(
            c -> {
              for (EnvVar env : nullSafe(c.getEnv())) {
                if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                  add(refs, Kind.CONFIG_MAP, ns, env.getValueFrom().getConfigMapKeyRef().getName());
                }
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                  add(refs, Kind.SECRET, ns, env.getValueFrom().getSecretKeyRef().getName());
                }
              }
              for (EnvFromSource from : nullSafe(c.getEnvFrom())) {
                if (from.getConfigMapRef() != null) {
                  add(refs, Kind.CONFIG_MAP, ns, from.getConfigMapRef().getName());
                }
                if (from.getSecretRef() != null) {
                  add(refs, Kind.SECRET, ns, from.getSecretRef().getName());
                }
              }
            });
    for (LocalObjectReference pull : nullSafe(spec.getImagePullSecrets())) {
      add(refs, Kind.SECRET, ns, pull.getName());
    }
    if (spec.getSubdomain() != null && !spec.getSubdomain().isEmpty()) {
      add(refs, Kind.SERVICE, ns, spec.getSubdomain());
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    for (Service service : servicesInNamespace) {
      if (isHeadless(service) && selects(service, labels)) {
        add(refs, Kind.SERVICE, ns, service.getMetadata().getName());
      }
    }
    refs.remove(new DependencyRef(Kind.CONFIG_MAP, ns, ROOT_CA_CONFIG_MAP));
    return refs;
  }

  static boolean isHeadless(Service service) {
    return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP());
  }

  private static boolean selects(Service service, Map<String, String> labels) {
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty() || labels == null) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static Stream<Container> containers(PodSpec spec) {
    return Stream.concat(
        nullSafe(spec.getInitContainers()).stream(), nullSafe(spec.getContainers()).stream());
  }

  private static void add(Set<DependencyRef> refs, Kind kind, String ns, String name) {
    if (name != null && !name.isEmpty()) {
      refs.add(new DependencyRef(kind, ns, name));
    }
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
