package dev.strata.operators.tfjob;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.tfjob.model.Observed;
import dev.strata.operators.tfjob.model.TFJobModel;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Reads what exists of a TFJob's objects straight from the API server. The operator reads its
 * informer caches instead; this is for tests that drive a reconcile step by step, and for tools.
 */
public final class ApiObserver {
  private final KubernetesClient client;

  public ApiObserver(KubernetesClient client) {
    this.client = client;
  }

  public Observed observe(TFJob job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    return new Observed(
        client
            .pods()
            .inNamespace(ns)
            .withLabel(JobLabels.JOB_NAME, name)
            .withLabel(JobLabels.OPERATOR_NAME, TFJobModel.OPERATOR_NAME)
            .list()
            .getItems(),
        client
            .services()
            .inNamespace(ns)
            .withLabel(JobLabels.JOB_NAME, name)
            .withLabel(JobLabels.OPERATOR_NAME, TFJobModel.OPERATOR_NAME)
            .list()
            .getItems());
  }
}
