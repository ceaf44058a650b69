package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GpuIndicesTest {

  @Test
  void formatsAscendingAndParsesBack() {
    assertThat(GpuIndices.format(new int[] {3, 0, 1})).isEqualTo("0,1,3");
    assertThat(GpuIndices.parse("0, 1,3").value()).containsExactly(0, 1, 3);
    assertThat(GpuIndices.parse("").value()).isEmpty();
  }

  @Test
  void rejectsNegativeDuplicateOrNonNumericIndices() {
    assertThat(GpuIndices.parse("0,0").reason())
        .isEqualTo(
            "strata.dev/gpu-indices='0,0' must list distinct GPU indices of at least 0, e.g. 0,1");
    assertThat(GpuIndices.parse("-1").isOk()).isFalse();
    assertThat(GpuIndices.parse("a").isOk()).isFalse();
  }
}
