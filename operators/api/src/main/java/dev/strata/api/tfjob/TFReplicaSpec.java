package dev.strata.api.tfjob;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.api.common.ReplicaSpec;
import dev.strata.api.common.RestartPolicy;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;

/** One replica type (PS, Worker, Chief, Master, Evaluator) of a TFJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"replicas", "template", "restartPolicy"})
@ValidationRule(
    value =
        "has(self.template) && has(self.template.spec) && has(self.template.spec.containers)"
            + " && self.template.spec.containers.exists(c, c.name == 'tensorflow')",
    message = "template.spec.containers: must have at least one container with name tensorflow")
@ValidationRule(
    value =
        "!has(self.template) || !has(self.template.spec) || !has(self.template.spec.containers)"
            + " || self.template.spec.containers.all(c, has(c.image) && c.image != '')",
    message = "template.spec.containers: every container must have an image")
public class TFReplicaSpec extends ReplicaSpec {
  @SchemaFrom(type = RestartPolicy.class)
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
