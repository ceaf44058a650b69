package dev.strata.operators.mpijob;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.common.StatusWrites;
import dev.strata.operators.mpijob.model.MPIJobModel;
import dev.strata.operators.mpijob.model.Observed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
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
 * The java-operator-sdk front of {@link MPIJobController}: informers on everything an MPIJob owns
 * (selected by the operator-name label, mapped to their job by the job-name label) feed the
 * observed state from cache, and the outcome becomes one status patch.
 */
@ControllerConfiguration(name = "mpijob")
public final class MPIJobReconciler implements Reconciler<MPIJob> {
  private static final String SELECTOR = JobLabels.OPERATOR_NAME + "=" + MPIJobModel.OPERATOR_NAME;
  private static final String BY_JOB = "by-job";

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
    pods = informer(Pod.class, context);
    pods.addIndexers(Map.of(BY_JOB, p -> List.of(jobKey(p))));
    jobs = informer(Job.class, context);
    services = informer(Service.class, context);
    configMaps = informer(ConfigMap.class, context);
    secrets = informer(Secret.class, context);
    serviceAccounts = informer(ServiceAccount.class, context);
    roles = informer(Role.class, context);
    roleBindings = informer(RoleBinding.class, context);
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
    List<Pod> jobPods = pods.byIndex(BY_JOB, ns + "/" + name);
    return new Observed(
        cached(services, ns, MPIJobNames.service(name)),
        cached(configMaps, ns, MPIJobNames.configMap(name)),
        cached(secrets, ns, MPIJobNames.sshSecret(name)),
        cached(serviceAccounts, ns, MPIJobNames.launcher(name)),
        cached(roles, ns, MPIJobNames.launcher(name)),
        cached(roleBindings, ns, MPIJobNames.launcher(name)),
        cached(jobs, ns, MPIJobNames.launcher(name)),
        ApiObserver.withRole(jobPods, MPIJobModel.ROLE_LAUNCHER),
        ApiObserver.withRole(jobPods, MPIJobModel.ROLE_WORKER));
  }

  private static <R extends HasMetadata> R cached(
      InformerEventSource<R, MPIJob> source, String ns, String name) {
    return source.get(new ResourceID(name, ns)).orElse(null);
  }

  private static <R extends HasMetadata> InformerEventSource<R, MPIJob> informer(
      Class<R> type, EventSourceContext<MPIJob> context) {
    InformerEventSourceConfiguration<R> configuration =
        InformerEventSourceConfiguration.from(type, MPIJob.class)
            .withName(type.getSimpleName())
            .withLabelSelector(SELECTOR)
            .withSecondaryToPrimaryMapper(MPIJobReconciler::owningJob)
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** Every object of a job, the launcher's pods included, names the job in a label. */
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
