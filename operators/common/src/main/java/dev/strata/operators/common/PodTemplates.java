package dev.strata.operators.common;

import dev.strata.api.common.Copies;
import dev.strata.api.common.SchedulingPolicy;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** What every job controller does to a replica's pod template before it becomes a pod. */
public final class PodTemplates {
  private PodTemplates() {}

  /** A deep copy to change freely, with a spec even when the template had none. */
  public static PodTemplateSpec copyOf(PodTemplateSpec template) {
    PodTemplateSpec copy = Copies.deepCopy(template);
    if (copy.getSpec() == null) {
      copy.setSpec(new PodSpec());
    }
    return copy;
  }

  /**
   * schedulingPolicy.priorityClass reaches the pods the scheduler sees, unless a pod template names
   * its own.
   */
  public static void inheritPriorityClass(SchedulingPolicy scheduling, PodSpec pod) {
    if (scheduling != null
        && scheduling.getPriorityClass() != null
        && !scheduling.getPriorityClass().isEmpty()
        && (pod.getPriorityClassName() == null || pod.getPriorityClassName().isEmpty())) {
      pod.setPriorityClassName(scheduling.getPriorityClass());
    }
  }
}
