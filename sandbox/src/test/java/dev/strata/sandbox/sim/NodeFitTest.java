package dev.strata.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeFitTest {
  private static final Taint TAINT =
      new TaintBuilder()
          .withKey("virtual-kubelet.io/provider")
          .withValue("strata")
          .withEffect("NoSchedule")
          .build();

  private static Toleration toleration(String key, String operator, String value, String effect) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator(operator)
        .withValue(value)
        .withEffect(effect)
        .build();
  }

  @Test
  void tolerationsFollowTheApisRules() {
    assertThat(NodeFit.tolerates(toleration(null, "Exists", null, null), TAINT)).isTrue();
    assertThat(
            NodeFit.tolerates(
                toleration("virtual-kubelet.io/provider", "Exists", null, null), TAINT))
        .isTrue();
    assertThat(
            NodeFit.tolerates(
                toleration("virtual-kubelet.io/provider", null, "strata", "NoSchedule"), TAINT))
        .isTrue();
    assertThat(
            NodeFit.tolerates(
                toleration("virtual-kubelet.io/provider", "Equal", "azure", null), TAINT))
        .isFalse();
    assertThat(
            NodeFit.tolerates(
                toleration("virtual-kubelet.io/provider", "Exists", null, "NoExecute"), TAINT))
        .isFalse();
    assertThat(NodeFit.tolerates(toleration(null, "Equal", null, null), TAINT)).isFalse();
  }

  @Test
  void selectorOperatorsMatchAsTheApiSays() {
    Map<String, String> labels = Map.of("gpus", "8", "model", "V100");
    assertThat(NodeFit.matches(req("model", "In", "V100", "P100"), labels)).isTrue();
    assertThat(NodeFit.matches(req("model", "NotIn", "V100"), labels)).isFalse();
    assertThat(NodeFit.matches(req("rack", "NotIn", "rack-0"), labels)).isTrue();
    assertThat(NodeFit.matches(req("model", "Exists"), labels)).isTrue();
    assertThat(NodeFit.matches(req("rack", "DoesNotExist"), labels)).isTrue();
    assertThat(NodeFit.matches(req("gpus", "Gt", "4"), labels)).isTrue();
    assertThat(NodeFit.matches(req("gpus", "Lt", "4"), labels)).isFalse();
    assertThat(NodeFit.matches(req("model", "Gt", "4"), labels)).isFalse();
  }

  private static io.fabric8.kubernetes.api.model.NodeSelectorRequirement req(
      String key, String operator, String... values) {
    return new NodeSelectorRequirementBuilder()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .build();
  }
}
