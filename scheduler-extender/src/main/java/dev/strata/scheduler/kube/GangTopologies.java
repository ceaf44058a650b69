package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.TopologyMode;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A gang's topology mode, from annotation {@value TopologyMode#ANNOTATION} on its pods: {@code
 * preferred} (the default) or {@code required}. Any member that asks for {@code required} makes the
 * whole gang wait for one switch, since a job's pods share one template per replica type and a
 * stricter member would be split from the rest anyway.
 */
public final class GangTopologies {
  private GangTopologies() {}

  public static Translation<TopologyMode> of(Iterable<Pod> members) {
    TopologyMode mode = TopologyMode.PREFERRED;
    for (Pod pod : members) {
      String value =
          pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null
              ? null
              : pod.getMetadata().getAnnotations().get(TopologyMode.ANNOTATION);
      if (value == null) {
        continue;
      }
      try {
        if (TopologyMode.parse(value) == TopologyMode.REQUIRED) {
          mode = TopologyMode.REQUIRED;
        }
      } catch (IllegalArgumentException e) {
        return Translation.rejected("pod " + pod.getMetadata().getName() + ": " + e.getMessage());
      }
    }
    return Translation.ok(mode);
  }
}
