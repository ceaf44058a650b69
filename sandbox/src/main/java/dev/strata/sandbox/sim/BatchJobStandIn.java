package dev.strata.sandbox.sim;

import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANDBOX STAND-IN for kube-controller-manager's Job controller in a tenant cluster, which the
 * sandbox does not run: the MPIJob launcher is a batch Job, and the MPIJob's success is read from
 * that Job's conditions. It creates the Job's pods, and writes the Job's status from theirs as
 * {@link BatchJobPods} plans it. Not built: activeDeadlineSeconds, indexed completions, pod failure
 * policies, TTL.
 */
public final class BatchJobStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchJobStandIn.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "batch-job-stand-in");
            t.setDaemon(true);
            return t;
          });

  /** Pods created but not yet seen in the cache, per Job uid: not to create them twice. */
  private final Map<String, Integer> expected = new HashMap<>();

  private SharedIndexInformer<Job> jobs;
  private SharedIndexInformer<Pod> pods;

  private BatchJobStandIn(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public static BatchJobStandIn start(KubernetesClient client) {
    BatchJobStandIn standIn = new BatchJobStandIn(client, Clock.systemUTC());
    standIn.pods = client.pods().inAnyNamespace().inform(standIn.podHandler());
    standIn.jobs = client.batch().v1().jobs().inAnyNamespace().inform(standIn.jobHandler());
    return standIn;
  }

  private ResourceEventHandler<Job> jobHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        run(() -> reconcile(job.getMetadata().getNamespace(), job.getMetadata().getName()));
      }

      @Override
      public void onUpdate(Job old, Job job) {
        run(() -> reconcile(job.getMetadata().getNamespace(), job.getMetadata().getName()));
      }

      @Override
      public void onDelete(Job job, boolean unknown) {
        run(() -> expected.remove(job.getMetadata().getUid()));
      }
    };
  }

  private ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        run(() -> ownerChanged(pod, true));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        run(() -> ownerChanged(pod, false));
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        run(() -> ownerChanged(pod, false));
      }
    };
  }

  private void run(Runnable task) {
    thread.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("batch Job stand-in: {}", e.getMessage(), e);
          }
        });
  }

  // ---- on the stand-in's thread --------------------------------------------------------------

  private void ownerChanged(Pod pod, boolean added) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return;
    }
    pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
        .forEach(
            o -> {
              if (added) {
                expected.computeIfPresent(o.getUid(), (k, n) -> n > 1 ? n - 1 : null);
              }
              reconcile(pod.getMetadata().getNamespace(), o.getName());
            });
  }

  private void reconcile(String namespace, String name) {
    if (jobs == null || pods == null) {
      return;
    }
    Job job = jobs.getStore().getByKey(namespace + "/" + name);
    if (job == null) {
      return;
    }
    List<Pod> owned =
        pods.getStore().list().stream()
            .filter(p -> OwnerReferences.isControlledBy(p, job))
            .toList();
    BatchJobPods.Plan plan = BatchJobPods.plan(job, owned, clock.instant());
    int pending = expected.getOrDefault(job.getMetadata().getUid(), 0);
    for (int i = pending; i < plan.podsToCreate(); i++) {
      client.resource(BatchJobPods.pod(job)).create();
      expected.merge(job.getMetadata().getUid(), 1, Integer::sum);
    }
    if (plan.deleteActive()) {
      owned.stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .filter(p -> !Pods.isSucceeded(p) && !Pods.isFailed(p))
          .forEach(p -> client.resource(p).delete());
    }
    if (!Objects.equals(plan.status(), job.getStatus())) {
      Job fresh = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
      if (fresh == null || !fresh.getMetadata().getUid().equals(job.getMetadata().getUid())) {
        return;
      }
      fresh.setStatus(plan.status());
      try {
        client.resource(fresh).updateStatus();
      } catch (KubernetesClientException e) {
        log.debug("status of Job {}/{}: {}", namespace, name, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.close();
    }
    if (pods != null) {
      pods.close();
    }
    thread.shutdownNow();
  }
}
