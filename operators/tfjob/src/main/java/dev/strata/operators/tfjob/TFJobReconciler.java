package dev.strata.operators.tfjob;

import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.JobInformers;
import dev.strata.operators.common.StatusWrites;
import dev.strata.operators.tfjob.model.Observed;
import dev.strata.operators.tfjob.model.TFJobModel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The java-operator-sdk front of {@link TFJobController}: informers on the pods and Services a
 * TFJob owns feed the observed state from cache, and the outcome becomes one status write.
 */
@ControllerConfiguration(name = "tfjob")
public final class TFJobReconciler implements Reconciler<TFJob> {
  private final TFJobController controller;
  private InformerEventSource<Pod, TFJob> pods;
  private InformerEventSource<Service, TFJob> services;

  public TFJobReconciler(TFJobController controller) {
    this.controller = controller;
  }

  @Override
  public List<EventSource<?, TFJob>> prepareEventSources(EventSourceContext<TFJob> context) {
    pods = JobInformers.indexed(Pod.class, TFJob.class, TFJobModel.OPERATOR_NAME, context);
    services = JobInformers.indexed(Service.class, TFJob.class, TFJobModel.OPERATOR_NAME, context);
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
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    return new Observed(JobInformers.ofJob(pods, ns, name), JobInformers.ofJob(services, ns, name));
  }
}
