package dev.strata.sandbox.bench;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.OperatorOptions;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.mpijob.model.MPIJobModel;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** MPIJobs of W GPU workers: fully created when every worker pod and the launcher Job exist. */
final class MPIJobWorkload implements StartupWorkload {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private final int workers;

  MPIJobWorkload(int workers) {
    this.workers = workers;
  }

  @Override
  public String kind() {
    return "MPIJob (" + workers + " workers)";
  }

  @Override
  public String controller() {
    return OperatorOptions.MPIJOB;
  }

  @Override
  public HasMetadata job(String namespace, String name) {
    return YAML.unmarshal(
        """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        metadata: {name: %s, namespace: %s}
        spec:
          slotsPerWorker: 8
          mpiReplicaSpecs:
            Launcher:
              replicas: 1
              template: {spec: {containers: [{name: launcher, image: horovod, command: [mpirun, python, train.py]}]}}
            Worker:
              replicas: %d
              template:
                spec:
                  containers:
                  - name: worker
                    image: horovod
                    resources: {limits: {nvidia.com/gpu: 8}}
        """
            .formatted(name, namespace, workers),
        MPIJob.class);
  }

  @Override
  public List<HasMetadata> objectsOf(HasMetadata storedJob) {
    MPIJobModel model = MPIJobModel.fromCrd((MPIJob) storedJob, JobPodPolicy.gangs());
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(model.service());
    objects.add(model.configMap(List.of()));
    objects.add(model.sshSecret(SshKeyPairGenerator.generate()));
    objects.add(model.launcherServiceAccount());
    objects.add(model.launcherRole());
    objects.add(model.launcherRoleBinding());
    IntStream.range(0, workers).forEach(w -> objects.add(model.worker(w)));
    objects.add(model.launcherJob(false));
    return objects;
  }

  @Override
  public int podsPerJob() {
    return workers;
  }

  @Override
  public int objectsPerJob() {
    return workers + 7; // Service, ConfigMap, Secret, SA, Role, RoleBinding, launcher Job
  }

  @Override
  public void informOther(KubernetesClient client, String namespace, AtomicInteger counter) {
    client.batch().v1().jobs().inNamespace(namespace).inform(new CountingHandler<>(counter));
  }

  @Override
  public int otherPerJob() {
    return 1;
  }
}
