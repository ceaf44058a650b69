package dev.strata.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Job-level policies shared by MPIJob and TFJob: clean-up, TTL, deadline, backoff, suspend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "cleanPodPolicy",
  "ttlSecondsAfterFinished",
  "activeDeadlineSeconds",
  "backoffLimit",
  "schedulingPolicy",
  "suspend",
  "managedBy"
})
@ValidationRule(
    value =
        "has(self.managedBy) == has(oldSelf.managedBy)"
            + " && (!has(self.managedBy) || self.managedBy == oldSelf.managedBy)",
    message = "spec.runPolicy.managedBy is immutable",
    fieldPath = ".managedBy")
public class RunPolicy {
  @SchemaFrom(type = CleanPodPolicy.class)
  private String cleanPodPolicy;

  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer ttlSecondsAfterFinished;

  @Min(0)
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer backoffLimit;

  private SchedulingPolicy schedulingPolicy;

  @Default("false")
  private Boolean suspend;

  private String managedBy;

  public String getCleanPodPolicy() {
    return cleanPodPolicy;
  }

  public void setCleanPodPolicy(String cleanPodPolicy) {
    this.cleanPodPolicy = cleanPodPolicy;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public SchedulingPolicy getSchedulingPolicy() {
    return schedulingPolicy;
  }

  public void setSchedulingPolicy(SchedulingPolicy schedulingPolicy) {
    this.schedulingPolicy = schedulingPolicy;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public String getManagedBy() {
    return managedBy;
  }

  public void setManagedBy(String managedBy) {
    this.managedBy = managedBy;
  }
}
