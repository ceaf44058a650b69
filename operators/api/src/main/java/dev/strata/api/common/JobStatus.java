package dev.strata.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The observed state of a job, shared by MPIJob and TFJob. {@code observedGeneration} is Strata's
 * addition: the {@code metadata.generation} the controller last acted on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "conditions",
  "replicaStatuses",
  "startTime",
  "completionTime",
  "lastReconcileTime",
  "observedGeneration"
})
public class JobStatus {
  private List<JobCondition> conditions;
  private Map<String, ReplicaStatus> replicaStatuses;
  private String startTime;
  private String completionTime;
  private String lastReconcileTime;
  private Long observedGeneration;

  public List<JobCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<JobCondition> conditions) {
    this.conditions = conditions;
  }

  public Map<String, ReplicaStatus> getReplicaStatuses() {
    return replicaStatuses;
  }

  public void setReplicaStatuses(Map<String, ReplicaStatus> replicaStatuses) {
    this.replicaStatuses = replicaStatuses;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getLastReconcileTime() {
    return lastReconcileTime;
  }

  public void setLastReconcileTime(String lastReconcileTime) {
    this.lastReconcileTime = lastReconcileTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
