package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.TopologyMode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GangTopologiesTest {

  private static Pod pod(String name, String topology) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata();
    if (topology != null) {
      pod.editMetadata().addToAnnotations(TopologyMode.ANNOTATION, topology).endMetadata();
    }
    return pod.build();
  }

  @Test
  void withoutTheAnnotationAGangPrefersOneSwitch() {
    assertThat(GangTopologies.of(List.of(pod("w0", null), pod("w1", null))).value())
        .isEqualTo(TopologyMode.PREFERRED);
  }

  @Test
  void oneMemberAskingForOneSwitchHoldsTheWholeGangToIt() {
    assertThat(GangTopologies.of(List.of(pod("l", null), pod("w0", "Required"))).value())
        .isEqualTo(TopologyMode.REQUIRED);
  }

  @Test
  void anUnknownModeIsAReasonNamingThePod() {
    assertThat(GangTopologies.of(List.of(pod("w0", "strict"))).reason())
        .isEqualTo("pod w0: strata.dev/topology is 'strict'; it must be 'preferred' or 'required'");
  }
}
