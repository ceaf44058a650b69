package dev.strata.api.tfjob;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.api.common.RunPolicy;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The desired state of a TFJob, field for field as kubeflow.org/v1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"runPolicy", "successPolicy", "tfReplicaSpecs", "enableDynamicWorker"})
@ValidationRule(
    value =
        "!has(self.runPolicy) || !has(self.runPolicy.managedBy)"
            + " || self.runPolicy.managedBy in ['kubeflow.org/training-operator',"
            + " 'kueue.x-k8s.io/multikueue']",
    message = "must be kubeflow.org/training-operator or kueue.x-k8s.io/multikueue",
    fieldPath = ".runPolicy.managedBy")
public class TFJobSpec {
  private RunPolicy runPolicy;

  @ValidationRule(
      value = "self == '' || self == 'AllWorkers'",
      message = "must be \"\" or AllWorkers")
  private String successPolicy;

  @Required
  @Size(max = 5)
  @ValidationRule(
      value = "self.all(k, k.lowerAscii() in ['ps', 'worker', 'chief', 'master', 'evaluator'])",
      message = "replica types must be PS, Worker, Chief, Master or Evaluator")
  @ValidationRule(
      value = "self.filter(k, k.lowerAscii() in ['chief', 'master']).size() <= 1",
      message = "must not have more than 1 Chief or Master role")
  private Map<String, TFReplicaSpec> tfReplicaSpecs;

  private Boolean enableDynamicWorker;

  public RunPolicy getRunPolicy() {
    return runPolicy;
  }

  public void setRunPolicy(RunPolicy runPolicy) {
    this.runPolicy = runPolicy;
  }

  public String getSuccessPolicy() {
    return successPolicy;
  }

  public void setSuccessPolicy(String successPolicy) {
    this.successPolicy = successPolicy;
  }

  public Map<String, TFReplicaSpec> getTfReplicaSpecs() {
    return tfReplicaSpecs;
  }

  public void setTfReplicaSpecs(Map<String, TFReplicaSpec> tfReplicaSpecs) {
    this.tfReplicaSpecs = tfReplicaSpecs;
  }

  public Boolean getEnableDynamicWorker() {
    return enableDynamicWorker;
  }

  public void setEnableDynamicWorker(Boolean enableDynamicWorker) {
    this.enableDynamicWorker = enableDynamicWorker;
  }
}
