package dev.strata.operators.mpijob;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.operators.common.JobInformers;
import dev.strata.operators.common.StatusWrites;
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
 * The java-operator-sdk front of {@link MPIJobController}: informers on everything an MPIJob owns
 * (selected by the operator-name label, mapped to their job by the job-name label) feed the
 * observed state from cache, and the outcome becomes one status patch.
 */
@ControllerConfiguration(name = "mpijob")
public final class MPIJobReconciler implements Reconciler<MPIJob> {

  private final MPIJobController controller;
  private InformerEventSource<Pod, MPIJob> pods;
  private InformerEventSource<Job, MPIJob> jobs;
  private InformerEventSource<Service, MPIJob> services;
  private InformerEventSource<ConfigMap, MPIJob> configMaps;
  private InformerEventSource<Secret, MPIJob> secrets;
  private InformerEventSource<ServiceAccount, MPIJob> serviceAccounts;
  private InformerEventSource<Role, MPIJob> roles;
  private InformerEventSource<RoleBinding, MPIJob> roleBindings;

  public MPIJobReconciler(MPIJobController controller) {
    this.controller = controller;
  }

  @Override
  public List<EventSource<?, MPIJob>> prepareEventSources(EventSourceContext<MPIJob> context) {
    String operator = MPIJobModel.OPERATOR_NAME;
    pods = JobInformers.indexed(Pod.class, MPIJob.class, operator, context);
    jobs = JobInformers.of(Job.class, MPIJob.class, operator, context);
    services = JobInformers.of(Service.class, MPIJob.class, operator, context);
    configMaps = JobInformers.of(ConfigMap.class, MPIJob.class, operator, context);
    secrets = JobInformers.of(Secret.class, MPIJob.class, operator, context);
    serviceAccounts = JobInformers.of(ServiceAccount.class, MPIJob.class, operator, context);
    roles = JobInformers.of(Role.class, MPIJob.class, operator, context);
    roleBindings = JobInformers.of(RoleBinding.class, MPIJob.class, operator, context);
    return new ArrayList<>(
        List.of(pods, jobs, services, configMaps, secrets, serviceAccounts, roles, roleBindings));
  }

  @Override
  public UpdateControl<MPIJob> reconcile(MPIJob job, Context<MPIJob> context) {
    MPIJobController.Outcome outcome = controller.reconcile(job, observe(job));
    if (outcome.deleted()) {
      return UpdateControl.noUpdate();
    }
    if (outcome.status() != null) {
      StatusWrites.write(job, context, outcome.status(), MPIJob::new);
    }
    UpdateControl<MPIJob> control = UpdateControl.noUpdate();
    if (outcome.requeueAfter() != null) {
      control.rescheduleAfter(outcome.requeueAfter());
    }
    return control;
  }

  private Observed observe(MPIJob job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    List<Pod> jobPods = JobInformers.ofJob(pods, ns, name);
    return new Observed(
        JobInformers.cached(services, ns, MPIJobNames.service(name)),
        JobInformers.cached(configMaps, ns, MPIJobNames.configMap(name)),
        JobInformers.cached(secrets, ns, MPIJobNames.sshSecret(name)),
        JobInformers.cached(serviceAccounts, ns, MPIJobNames.launcher(name)),
        JobInformers.cached(roles, ns, MPIJobNames.launcher(name)),
        JobInformers.cached(roleBindings, ns, MPIJobNames.launcher(name)),
        JobInformers.cached(jobs, ns, MPIJobNames.launcher(name)),
        ApiObserver.withRole(jobPods, MPIJobModel.ROLE_LAUNCHER),
        ApiObserver.withRole(jobPods, MPIJobModel.ROLE_WORKER));
  }
}
