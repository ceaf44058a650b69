package dev.strata.operators.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobPodPolicyTest {
  private final Toleration gpu =
      new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").build();

  @Test
  void thePlatformPolicyAddsTheVirtualNodeTolerationAfterTheUsersOwn() {
    PodSpec pod = new PodSpec();
    pod.setTolerations(List.of(gpu));

    JobPodPolicy.platform().addTolerations(pod);

    assertThat(pod.getTolerations()).containsExactly(gpu, JobPodPolicy.virtualNodeToleration());
    assertThat(JobPodPolicy.virtualNodeToleration().getKey())
        .isEqualTo("virtual-kubelet.io/provider");
  }

  @Test
  void aTolerationTheTemplateAlreadyHasIsNotRepeated() {
    PodSpec pod = new PodSpec();
    pod.setTolerations(List.of(JobPodPolicy.virtualNodeToleration()));

    JobPodPolicy.platform().addTolerations(pod);

    assertThat(pod.getTolerations()).containsExactly(JobPodPolicy.virtualNodeToleration());
  }

  @Test
  void theUpstreamPolicyLeavesThePodAsTheTemplateMadeIt() {
    PodSpec pod = new PodSpec();

    JobPodPolicy.upstream().addTolerations(pod);

    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(JobPodPolicy.upstream().gangByDefault()).isFalse();
    assertThat(JobPodPolicy.platform().gangByDefault()).isTrue();
  }
}
