package dev.strata.api.mpijob;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.api.common.RunPolicy;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The desired state of an MPIJob, field for field as kubeflow.org/v2beta1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "slotsPerWorker",
  "runLauncherAsWorker",
  "runPolicy",
  "mpiReplicaSpecs",
  "sshAuthMountPath",
  "launcherCreationPolicy",
  "mpiImplementation"
})
@ValidationRule(
    value =
        "!has(self.runPolicy) || !has(self.runPolicy.managedBy)"
            + " || self.runPolicy.managedBy in ['kubeflow.org/mpi-operator',"
            + " 'kueue.x-k8s.io/multikueue']",
    message = "must be kubeflow.org/mpi-operator or kueue.x-k8s.io/multikueue",
    fieldPath = ".runPolicy.managedBy")
public class MPIJobSpec {
  @Default("1")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer slotsPerWorker;

  @Default("false")
  private Boolean runLauncherAsWorker;

  private RunPolicy runPolicy;

  @Required
  @Size(max = 2)
  @ValidationRule(
      value = "self.all(k, k == 'Launcher' || k == 'Worker')",
      message = "replica types must be Launcher or Worker")
  @ValidationRule(value = "'Launcher' in self", message = "must have Launcher replica spec")
  @ValidationRule(
      value =
          "!('Launcher' in self) || !has(self['Launcher'].replicas)"
              + " || self['Launcher'].replicas == 1",
      message = "[Launcher].replicas: must be 1")
  @ValidationRule(
      value = "!('Worker' in self) || has(self['Worker'].replicas) && self['Worker'].replicas >= 1",
      message = "[Worker].replicas: must be set and greater than or equal to 1")
  private Map<String, MPIReplicaSpec> mpiReplicaSpecs;

  @Default("/root/.ssh")
  @Size(min = 1)
  private String sshAuthMountPath;

  @Default("AtStartup")
  @SchemaFrom(type = LauncherCreationPolicy.class)
  private String launcherCreationPolicy;

  @Default("OpenMPI")
  @SchemaFrom(type = MPIImplementation.class)
  private String mpiImplementation;

  public Integer getSlotsPerWorker() {
    return slotsPerWorker;
  }

  public void setSlotsPerWorker(Integer slotsPerWorker) {
    this.slotsPerWorker = slotsPerWorker;
  }

  public Boolean getRunLauncherAsWorker() {
    return runLauncherAsWorker;
  }

  public void setRunLauncherAsWorker(Boolean runLauncherAsWorker) {
    this.runLauncherAsWorker = runLauncherAsWorker;
  }

  public RunPolicy getRunPolicy() {
    return runPolicy;
  }

  public void setRunPolicy(RunPolicy runPolicy) {
    this.runPolicy = runPolicy;
  }

  public Map<String, MPIReplicaSpec> getMpiReplicaSpecs() {
    return mpiReplicaSpecs;
  }

  public void setMpiReplicaSpecs(Map<String, MPIReplicaSpec> mpiReplicaSpecs) {
    this.mpiReplicaSpecs = mpiReplicaSpecs;
  }

  public String getSshAuthMountPath() {
    return sshAuthMountPath;
  }

  public void setSshAuthMountPath(String sshAuthMountPath) {
    this.sshAuthMountPath = sshAuthMountPath;
  }

  public String getLauncherCreationPolicy() {
    return launcherCreationPolicy;
  }

  public void setLauncherCreationPolicy(String launcherCreationPolicy) {
    this.launcherCreationPolicy = launcherCreationPolicy;
  }

  public String getMpiImplementation() {
    return mpiImplementation;
  }

  public void setMpiImplementation(String mpiImplementation) {
    this.mpiImplementation = mpiImplementation;
  }
}
