package dev.strata.virtualnode.forward;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies the objects a pod references into its compute namespace under the same names. Pure: no API
 * calls. What has no meaning over there is left out: Service account token Secrets, cluster IPs, a
 * claim's bound volume.
 */
public final class DependencyTranslator {
  static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

  private final PodTranslator pods;

  public DependencyTranslator(PodTranslator pods) {
    this.pods = pods;
  }

  /** The compute copy of a tenant object, or empty when that kind of object does not cross. */
  public Optional<HasMetadata> toCompute(HasMetadata tenant) {
    if (tenant instanceof ConfigMap c) {
      ConfigMap copy = new ConfigMap();
      copy.setMetadata(meta(tenant));
      copy.setData(c.getData());
      copy.setBinaryData(c.getBinaryData());
      copy.setImmutable(c.getImmutable());
      return Optional.of(copy);
    }
    if (tenant instanceof Secret s) {
      if (SERVICE_ACCOUNT_TOKEN.equals(s.getType())) {
        return Optional.empty();
      }
      Secret copy = new Secret();
      copy.setMetadata(meta(tenant));
      copy.setType(s.getType());
      copy.setData(s.getData());
      copy.setStringData(s.getStringData());
      copy.setImmutable(s.getImmutable());
      return Optional.of(copy);
    }
    if (tenant instanceof Service s) {
      if (!PodReferences.isHeadless(s)) {
        return Optional.empty();
      }
      ServiceSpec from = s.getSpec();
      ServiceSpec spec = new ServiceSpec();
      spec.setClusterIP("None");
      spec.setSelector(from.getSelector());
      spec.setPorts(from.getPorts());
      spec.setPublishNotReadyAddresses(from.getPublishNotReadyAddresses());
      spec.setIpFamilyPolicy(from.getIpFamilyPolicy());
      Service copy = new Service();
      copy.setMetadata(meta(tenant));
      copy.setSpec(spec);
      return Optional.of(copy);
    }
    if (tenant instanceof PersistentVolumeClaim c) {
      PersistentVolumeClaimSpec from = c.getSpec();
      PersistentVolumeClaimSpec spec = new PersistentVolumeClaimSpec();
      spec.setAccessModes(from.getAccessModes());
      spec.setResources(from.getResources());
      spec.setStorageClassName(from.getStorageClassName());
      spec.setVolumeMode(from.getVolumeMode());
      PersistentVolumeClaim copy = new PersistentVolumeClaim();
      copy.setMetadata(meta(tenant));
      copy.setSpec(spec);
      return Optional.of(copy);
    }
    return Optional.empty();
  }

  /**
   * Whether the existing compute copy differs from the desired one in what the forwarder keeps in
   * sync: data for ConfigMaps and Secrets, selector and ports for Services, labels for all. A
   * claim's spec is fixed once created.
   */
  public static boolean differs(HasMetadata existing, HasMetadata desired) {
    if (!Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
      return true;
    }
    if (existing instanceof ConfigMap e && desired instanceof ConfigMap d) {
      return !Objects.equals(nonNull(e.getData()), nonNull(d.getData()))
          || !Objects.equals(nonNull(e.getBinaryData()), nonNull(d.getBinaryData()));
    }
    if (existing instanceof Secret e && desired instanceof Secret d) {
      return !Objects.equals(nonNull(e.getData()), nonNull(d.getData()))
          || !Objects.equals(e.getType(), d.getType());
    }
    if (existing instanceof Service e && desired instanceof Service d) {
      return !Objects.equals(e.getSpec().getSelector(), d.getSpec().getSelector())
          || !Objects.equals(e.getSpec().getPorts(), d.getSpec().getPorts())
          || !Objects.equals(
              e.getSpec().getPublishNotReadyAddresses(), d.getSpec().getPublishNotReadyAddresses());
    }
    return false;
  }

  /** {@code desired}'s synced fields written onto {@code existing}, for an update. */
  public static HasMetadata merge(HasMetadata existing, HasMetadata desired) {
    HasMetadata updated = PodTranslator.JSON.clone(existing);
    updated.getMetadata().setLabels(desired.getMetadata().getLabels());
    if (updated instanceof ConfigMap u && desired instanceof ConfigMap d) {
      u.setData(d.getData());
      u.setBinaryData(d.getBinaryData());
    } else if (updated instanceof Secret u && desired instanceof Secret d) {
      u.setData(d.getData());
      u.setStringData(d.getStringData());
    } else if (updated instanceof Service u && desired instanceof Service d) {
      u.getSpec().setSelector(d.getSpec().getSelector());
      u.getSpec().setPorts(d.getSpec().getPorts());
      u.getSpec().setPublishNotReadyAddresses(d.getSpec().getPublishNotReadyAddresses());
    }
    return updated;
  }

  private ObjectMeta meta(HasMetadata tenant) {
    ObjectMeta from = tenant.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(from.getName());
    meta.setNamespace(pods.namespaces().of(from.getNamespace()));
    Map<String, String> labels = new LinkedHashMap<>(nonNull(from.getLabels()));
    labels.putAll(pods.ownership(from.getNamespace(), from.getName(), from.getUid()));
    meta.setLabels(labels);
    return meta;
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
