package dev.strata.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * One replica type of a job: how many pods, from which template. The restart policy lives in the
 * subclasses because MPIJob and TFJob accept different values, and the CRD schema says so.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ReplicaSpec {
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer replicas;

  private PodTemplateSpec template;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }

  public abstract String getRestartPolicy();

  public abstract void setRestartPolicy(String restartPolicy);
}
