package dev.strata.operators.tfjob;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.common.StatusWrites;
import dev.strata.operators.tfjob.model.Observed;
import dev.strata.operators.tfjob.model.TFJobModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The java-operator-sdk front of {@link TFJobController}: informers on the pods and Services a
 * TFJob owns (selected by the operator-name label, mapped to their job by the job-name label) feed
 * the observed state from cache, and the outcome becomes one status patch.
 */
@ControllerConfiguration(name = "tfjob")
public final class TFJobReconciler implements Reconciler<TFJob> {
  private static final String SELECTOR = JobLabels.OPERATOR_NAME + "=" + TFJobModel.OPERATOR_NAME;
  private static final String BY_JOB = "by-job";

  private final TFJobController controller;
  private InformerEventSource<Pod, TFJob> pods;
  private InformerEventSource<Service, TFJob> services;

  public TFJobReconciler(TFJobController controller) {
    this.controller = controller;
  }

  @Override
  public List<EventSource<?, TFJob>> prepareEventSources(EventSourceContext<TFJob> context) {
    pods = informer(Pod.class, context);
    pods.addIndexers(Map.of(BY_JOB, p -> List.of(jobKey(p))));
    services = informer(Service.class, context);
    services.addIndexers(Map.of(BY_JOB, s -> List.of(jobKey(s))));
    return new ArrayList<>(List.of(pods, services));
  }

  @Override
  public UpdateControl<TFJob> reconcile(TFJob job, Context<TFJob> context) {
    TFJobController.Outcome outcome = controller.reconcile(job, observe(job));
    if (outcome.deleted()) {
      return UpdateControl.noUpdate();
    }
    if (outcome.status() != null) {
      StatusWrites.write(job, context, outcome.status(), TFJob::new);
    }
    UpdateControl<TFJob> control = UpdateControl.noUpdate();
    if (outcome.requeueAfter() != null) {
      control.rescheduleAfter(outcome.requeueAfter());
    }
    return control;
  }

  private Observed observe(TFJob job) {
    String key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    return new Observed(pods.byIndex(BY_JOB, key), services.byIndex(BY_JOB, key));
  }

  private static <R extends HasMetadata> InformerEventSource<R, TFJob> informer(
      Class<R> type, EventSourceContext<TFJob> context) {
    InformerEventSourceConfiguration<R> configuration =
        InformerEventSourceConfiguration.from(type, TFJob.class)
            .withName(type.getSimpleName())
            .withLabelSelector(SELECTOR)
            .withSecondaryToPrimaryMapper(TFJobReconciler::owningJob)
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** Every object of a job names the job in a label. */
  private static Set<ResourceID> owningJob(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String job = labels == null ? null : labels.get(JobLabels.JOB_NAME);
    return job == null
        ? Set.of()
        : Set.of(new ResourceID(job, object.getMetadata().getNamespace()));
  }

  private static String jobKey(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String job = labels == null ? "" : labels.getOrDefault(JobLabels.JOB_NAME, "");
    return object.getMetadata().getNamespace() + "/" + job;
  }
}
