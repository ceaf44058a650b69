package dev.strata.operators.mpijob;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.mpijob.model.MPIJobModel;
import dev.strata.operators.mpijob.model.Observed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Reads what exists of an MPIJob's objects straight from the API server. The operator reads its
 * informer caches instead; this is for tests that drive a reconcile step by step, and for tools.
 */
public final class ApiObserver {
  private final KubernetesClient client;

  public ApiObserver(KubernetesClient client) {
    this.client = client;
  }

  public Observed observe(MPIJob job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    List<Pod> pods =
        client.pods().inNamespace(ns).withLabel(JobLabels.JOB_NAME, name).list().getItems().stream()
            .filter(p -> MPIJobModel.OPERATOR_NAME.equals(label(p, JobLabels.OPERATOR_NAME)))
            .toList();
    return new Observed(
        get(Service.class, ns, MPIJobNames.service(name)),
        get(ConfigMap.class, ns, MPIJobNames.configMap(name)),
        get(Secret.class, ns, MPIJobNames.sshSecret(name)),
        get(ServiceAccount.class, ns, MPIJobNames.launcher(name)),
        get(Role.class, ns, MPIJobNames.launcher(name)),
        get(RoleBinding.class, ns, MPIJobNames.launcher(name)),
        get(Job.class, ns, MPIJobNames.launcher(name)),
        withRole(pods, MPIJobModel.ROLE_LAUNCHER),
        withRole(pods, MPIJobModel.ROLE_WORKER));
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(
      Class<T> type, String ns, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  static List<Pod> withRole(List<Pod> pods, String role) {
    return pods.stream().filter(p -> role.equals(label(p, JobLabels.JOB_ROLE))).toList();
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }
}
