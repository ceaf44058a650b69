package dev.strata.api.tfjob;

import dev.strata.api.common.Copies;
import dev.strata.api.common.RestartPolicy;
import dev.strata.api.common.RunPolicyDefaults;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults kubeflow/training-operator v1 applies to a TFJob before reconciling it, and the one
 * its CRD declares (suspend): replica-type keys in canonical spelling, one replica, restart policy
 * Never, and a {@code tfjob-port} on the tensorflow container.
 */
public final class TFJobDefaults {
  public static final String CONTAINER_NAME = "tensorflow";
  public static final String PORT_NAME = "tfjob-port";
  public static final int PORT = 2222;

  private TFJobDefaults() {}

  /** A defaulted deep copy; the argument is left as it was. */
  public static TFJob withDefaults(TFJob job) {
    TFJob copy = Copies.deepCopy(job);
    if (copy.getSpec() == null) {
      copy.setSpec(new TFJobSpec());
    }
    apply(copy.getSpec());
    return copy;
  }

  private static void apply(TFJobSpec spec) {
    spec.setRunPolicy(RunPolicyDefaults.applyTo(spec.getRunPolicy()));
    if (spec.getSuccessPolicy() == null) {
      spec.setSuccessPolicy(SuccessPolicy.DEFAULT);
    }
    if (spec.getTfReplicaSpecs() == null) {
      return;
    }
    spec.setTfReplicaSpecs(canonicalKeys(spec.getTfReplicaSpecs()));
    for (TFReplicaSpec replica : spec.getTfReplicaSpecs().values()) {
      if (replica == null) {
        continue;
      }
      if (replica.getReplicas() == null) {
        replica.setReplicas(1);
      }
      if (replica.getRestartPolicy() == null || replica.getRestartPolicy().isEmpty()) {
        replica.setRestartPolicy(RestartPolicy.Never.name());
      }
      addDefaultPort(replica);
    }
  }

  /**
   * Upstream accepts replica types in any letter case ("ps", "WORKER") and stores them under the
   * canonical spelling; an unknown type keeps its key so the validator can name it.
   */
  private static Map<String, TFReplicaSpec> canonicalKeys(Map<String, TFReplicaSpec> specs) {
    Map<String, TFReplicaSpec> canonical = new LinkedHashMap<>();
    specs.forEach(
        (key, replica) ->
            canonical.put(TFReplicaType.parse(key).map(Enum::name).orElse(key), replica));
    return canonical;
  }

  /** The tensorflow container (or the first one) gets port 2222 named tfjob-port if it has none. */
  private static void addDefaultPort(TFReplicaSpec replica) {
    if (replica.getTemplate() == null
        || replica.getTemplate().getSpec() == null
        || replica.getTemplate().getSpec().getContainers() == null
        || replica.getTemplate().getSpec().getContainers().isEmpty()) {
      return;
    }
    List<Container> containers = replica.getTemplate().getSpec().getContainers();
    Container target =
        containers.stream()
            .filter(c -> CONTAINER_NAME.equals(c.getName()))
            .findFirst()
            .orElse(containers.get(0));
    List<ContainerPort> ports =
        target.getPorts() == null ? new ArrayList<>() : new ArrayList<>(target.getPorts());
    if (ports.stream().noneMatch(p -> PORT_NAME.equals(p.getName()))) {
      ports.add(new ContainerPortBuilder().withName(PORT_NAME).withContainerPort(PORT).build());
      target.setPorts(ports);
    }
  }
}
