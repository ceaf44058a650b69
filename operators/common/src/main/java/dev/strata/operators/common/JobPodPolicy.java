package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator adds to every job pod beyond what the user's template says.
 *
 * @param gangByDefault gang metadata on every job's pods, not only on jobs with a schedulingPolicy
 * @param tolerations added to each pod unless the template already has an equal one; a tenant
 *     cluster's GPUs sit behind the virtual node's taint, and users' existing Kubeflow YAML does
 *     not tolerate it
 */
public record JobPodPolicy(boolean gangByDefault, List<Toleration> tolerations) {

  /** The taint key the virtual node puts on its Node. */
  public static final String VIRTUAL_NODE_TAINT_KEY = "virtual-kubelet.io/provider";

  public static final String VIRTUAL_NODE_TAINT_VALUE = "strata";

  public JobPodPolicy {
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
  }

  /** Exactly what upstream's controllers create: no gang metadata without a policy, no extras. */
  public static JobPodPolicy upstream() {
    return new JobPodPolicy(false, List.of());
  }

  /** Gang metadata on every job's pods, and nothing else beyond upstream. */
  public static JobPodPolicy gangs() {
    return new JobPodPolicy(true, List.of());
  }

  /** A tenant cluster of the platform: every job a gang, every pod allowed on the virtual node. */
  public static JobPodPolicy platform() {
    return new JobPodPolicy(true, List.of(virtualNodeToleration()));
  }

  public static Toleration virtualNodeToleration() {
    return new TolerationBuilder()
        .withKey(VIRTUAL_NODE_TAINT_KEY)
        .withOperator("Equal")
        .withValue(VIRTUAL_NODE_TAINT_VALUE)
        .withEffect("NoSchedule")
        .build();
  }

  public void addTolerations(PodSpec pod) {
    if (tolerations.isEmpty()) {
      return;
    }
    List<Toleration> merged =
        pod.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(pod.getTolerations());
    for (Toleration toleration : tolerations) {
      if (!merged.contains(toleration)) {
        merged.add(toleration);
      }
    }
    pod.setTolerations(merged);
  }
}
