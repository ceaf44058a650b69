package dev.strata.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Pod counts of one replica type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"active", "succeeded", "failed", "labelSelector", "selector"})
public class ReplicaStatus {
  private Integer active;
  private Integer succeeded;
  private Integer failed;

  /** Deprecated upstream in favour of {@link #selector}; kept so old objects round-trip. */
  private LabelSelector labelSelector;

  private String selector;

  public Integer getActive() {
    return active;
  }

  public void setActive(Integer active) {
    this.active = active;
  }

  public Integer getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(Integer succeeded) {
    this.succeeded = succeeded;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public LabelSelector getLabelSelector() {
    return labelSelector;
  }

  public void setLabelSelector(LabelSelector labelSelector) {
    this.labelSelector = labelSelector;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }
}
