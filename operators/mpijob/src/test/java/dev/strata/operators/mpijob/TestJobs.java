package dev.strata.operators.mpijob;

import dev.strata.api.common.RunPolicy;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIReplicaSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;

/** Small MPIJobs for reconcile tests: one launcher running mpirun, workers with no command. */
final class TestJobs {
  private TestJobs() {}

  static MPIJob basic(String name, int workers) {
    String yaml =
        """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        metadata:
          name: %s
        spec:
          mpiReplicaSpecs:
            Launcher:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: launcher
                    image: mpi:1
                    command: [mpirun, -n, "2", /pi]
            Worker:
              replicas: %d
              template:
                spec:
                  containers:
                  - name: worker
                    image: mpi:1
        """
            .formatted(name, workers);
    return MockCluster.SERIALIZATION.unmarshal(yaml, MPIJob.class);
  }

  static RunPolicy runPolicy(MPIJob job) {
    if (job.getSpec().getRunPolicy() == null) {
      job.getSpec().setRunPolicy(new RunPolicy());
    }
    return job.getSpec().getRunPolicy();
  }

  static MPIReplicaSpec launcher(MPIJob job) {
    return job.getSpec().getMpiReplicaSpecs().get("Launcher");
  }

  static MPIReplicaSpec worker(MPIJob job) {
    return job.getSpec().getMpiReplicaSpecs().get("Worker");
  }

  static PodSpec workerPodSpec(MPIJob job) {
    return worker(job).getTemplate().getSpec();
  }

  static Container workerContainer(MPIJob job) {
    return workerPodSpec(job).getContainers().get(0);
  }

  static Container launcherContainer(MPIJob job) {
    return launcher(job).getTemplate().getSpec().getContainers().get(0);
  }
}
