package dev.strata.api.mpijob;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.api.common.ReplicaSpec;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;

/** The Launcher or Worker part of an MPIJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"replicas", "template", "restartPolicy"})
@ValidationRule(
    value =
        "has(self.template) && has(self.template.spec) && has(self.template.spec.containers)"
            + " && size(self.template.spec.containers) > 0",
    message = "template.spec.containers: must define at least one container")
public class MPIReplicaSpec extends ReplicaSpec {
  @SchemaFrom(type = MPIRestartPolicy.class)
  private String restartPolicy;

  @Override
  public String getRestartPolicy() {
    return restartPolicy;
  }

  @Override
  public void setRestartPolicy(String restartPolicy) {
    this.restartPolicy = restartPolicy;
  }
}
