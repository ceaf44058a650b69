package dev.strata.sandbox.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One kind of job for the start-up benchmark: how to write one, what the controller makes of it,
 * and how to tell that it has all of its objects.
 */
interface StartupWorkload {
  String kind();

  /** The controller to run: an {@link dev.strata.operators.OperatorOptions} controller name. */
  String controller();

  /** A job named {@code name} in {@code namespace}, ready to create. */
  HasMetadata job(String namespace, String name);

  /** What the controller creates for one stored job, from the same model code it uses. */
  List<HasMetadata> objectsOf(HasMetadata storedJob);

  /** Pods one job has once it is fully created. */
  int podsPerJob();

  /** Objects created per job, all kinds together (pods included). */
  int objectsPerJob();

  /** Counts the objects besides pods whose arrival marks a job as fully created. */
  void informOther(
      KubernetesClient client, String namespace, java.util.concurrent.atomic.AtomicInteger counter);

  /** How many of those {@link #informOther} objects one job has. */
  int otherPerJob();
}
