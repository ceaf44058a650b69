package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sandbox's stand-ins warn about on a pod: a claim it mounts that does not exist (the
 * binder stand-in and the node simulator both wait for it), and the Warning Event they record, as
 * the kube-scheduler and the kubelet do.
 */
final class PodWarnings {
  private static final Logger log = LoggerFactory.getLogger(PodWarnings.class);

  private PodWarnings() {}

  /** The first PersistentVolumeClaim the pod mounts that does not exist. */
  static Optional<String> missingClaim(KubernetesClient client, Pod pod) {
    List<Volume> volumes =
        pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    for (Volume volume : volumes) {
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      if (client
              .persistentVolumeClaims()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(claim)
              .get()
          == null) {
        return Optional.of(claim);
      }
    }
    return Optional.empty();
  }

  /** Records a Warning Event about the pod; one that cannot be written is logged and dropped. */
  static void event(
      KubernetesClient client,
      Pod pod,
      String reason,
      String message,
      String component,
      String host,
      Instant now) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String time = PodStatuses.time(now);
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name + "." + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("Pod")
                          .withName(name)
                          .withNamespace(namespace)
                          .withUid(pod.getMetadata().getUid())
                          .build())
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource(component, host)
                  .withFirstTimestamp(time)
                  .withLastTimestamp(time)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.debug("could not record {} for {}: {}", reason, name, e.getMessage());
    }
  }
}
