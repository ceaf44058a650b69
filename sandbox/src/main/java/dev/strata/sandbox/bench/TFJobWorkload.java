package dev.strata.sandbox.bench;

import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFReplicaType;
import dev.strata.operators.OperatorOptions;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.tfjob.model.TFJobModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TFJobs of 1 chief, 2 PS and W workers: fully created when every pod and every per-replica Service
 * exists.
 */
final class TFJobWorkload implements StartupWorkload {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private final int workers;

  TFJobWorkload(int workers) {
    this.workers = workers;
  }

  @Override
  public String kind() {
    return "TFJob (1 chief, 2 PS, " + workers + " workers)";
  }

  @Override
  public String controller() {
    return OperatorOptions.TFJOB;
  }

  @Override
  public HasMetadata job(String namespace, String name) {
    return YAML.unmarshal(
        """
        apiVersion: kubeflow.org/v1
        kind: TFJob
        metadata: {name: %s, namespace: %s}
        spec:
          tfReplicaSpecs:
            Chief:
              replicas: 1
              template: {spec: {containers: [{name: tensorflow, image: tf, resources: {limits: {nvidia.com/gpu: 1}}}]}}
            PS:
              replicas: 2
              template: {spec: {containers: [{name: tensorflow, image: tf}]}}
            Worker:
              replicas: %d
              template: {spec: {containers: [{name: tensorflow, image: tf, resources: {limits: {nvidia.com/gpu: 1}}}]}}
        """
            .formatted(name, namespace, workers),
        TFJob.class);
  }

  @Override
  public List<HasMetadata> objectsOf(HasMetadata storedJob) {
    TFJobModel model = TFJobModel.fromCrd((TFJob) storedJob, JobPodPolicy.gangs());
    List<HasMetadata> objects = new ArrayList<>();
    for (TFReplicaType type : model.podTypes()) {
      for (int i = 0; i < model.replicas(type); i++) {
        objects.add(model.service(type, i));
        objects.add(model.pod(type, i));
      }
    }
    return objects;
  }

  @Override
  public int podsPerJob() {
    return workers + 3;
  }

  @Override
  public int objectsPerJob() {
    return 2 * podsPerJob(); // a Pod and a headless Service per replica
  }

  @Override
  public void informOther(KubernetesClient client, String namespace, AtomicInteger counter) {
    client.services().inNamespace(namespace).inform(new CountingHandler<>(counter));
  }

  @Override
  public int otherPerJob() {
    return podsPerJob();
  }
}
