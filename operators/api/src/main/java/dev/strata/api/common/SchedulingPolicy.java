package dev.strata.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Gang-scheduling hints, passed to the scheduler (Volcano and scheduler-plugins conventions). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "minAvailable",
  "queue",
  "minResources",
  "priorityClass",
  "scheduleTimeoutSeconds"
})
public class SchedulingPolicy {
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer minAvailable;

  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.runPolicy.schedulingPolicy.queue is immutable")
  private String queue;

  private Map<String, Quantity> minResources;

  private String priorityClass;

  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer scheduleTimeoutSeconds;

  public Integer getMinAvailable() {
    return minAvailable;
  }

  public void setMinAvailable(Integer minAvailable) {
    this.minAvailable = minAvailable;
  }

  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  public Map<String, Quantity> getMinResources() {
    return minResources;
  }

  public void setMinResources(Map<String, Quantity> minResources) {
    this.minResources = minResources;
  }

  public String getPriorityClass() {
    return priorityClass;
  }

  public void setPriorityClass(String priorityClass) {
    this.priorityClass = priorityClass;
  }

  public Integer getScheduleTimeoutSeconds() {
    return scheduleTimeoutSeconds;
  }

  public void setScheduleTimeoutSeconds(Integer scheduleTimeoutSeconds) {
    this.scheduleTimeoutSeconds = scheduleTimeoutSeconds;
  }
}
