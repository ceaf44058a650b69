package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Informers on the objects a job controller owns. Every such object carries the operator-name label
 * (so an informer watches only its controller's objects) and the job-name label (so an event maps
 * to its job, and a job's objects are found through one index, without listing a namespace).
 */
public final class JobInformers {
  /** The index of a job's objects by "namespace/job". */
  public static final String BY_JOB = "by-job";

  private JobInformers() {}

  /** An informer on {@code type} for the objects of one operator's jobs of kind {@code primary}. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> of(
      Class<R> type, Class<P> primary, String operatorName, EventSourceContext<P> context) {
    InformerEventSourceConfiguration<R> configuration =
        InformerEventSourceConfiguration.from(type, primary)
            .withName(type.getSimpleName())
            .withLabelSelector(JobLabels.OPERATOR_NAME + "=" + operatorName)
            .withSecondaryToPrimaryMapper(JobInformers::owningJob)
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The same, with the {@link #BY_JOB} index. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> indexed(
      Class<R> type, Class<P> primary, String operatorName, EventSourceContext<P> context) {
    InformerEventSource<R, P> informer = of(type, primary, operatorName, context);
    informer.addIndexers(Map.of(BY_JOB, object -> List.of(jobKey(object))));
    return informer;
  }

  /** The objects of job {@code name} in {@code namespace}, from an {@link #indexed} informer. */
  public static <R extends HasMetadata> List<R> ofJob(
      InformerEventSource<R, ?> informer, String namespace, String name) {
    return informer.byIndex(BY_JOB, namespace + "/" + name);
  }

  /** One cached object, or null. */
  public static <R extends HasMetadata> R cached(
      InformerEventSource<R, ?> informer, String namespace, String name) {
    return informer.get(new ResourceID(name, namespace)).orElse(null);
  }

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
