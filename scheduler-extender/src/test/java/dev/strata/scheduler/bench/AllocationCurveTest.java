package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllocationCurveTest {

  @Test
  void averagesTheRatesOfPodsWhoseArrivalRoundsToThePoint() {
    AllocationCurve curve = new AllocationCurve(10_000);
    curve.record(9_940, 9_000); // 99.4 % arrived: not 100
    curve.record(9_960, 9_100); // 99.6 %: rounds to 100
    curve.record(10_040, 9_123); // 100.4 %: rounds to 100, rate 91.23
    curve.record(10_060, 9_200); // 100.6 %: 101

    assertThat(curve.rateAt(100)).isEqualTo(91.12); // (91.00 + 91.23) / 2 = 91.115
    assertThat(curve.rateAt(99)).isEqualTo(90.0);
  }

  @Test
  void fallsBackToPointsWithinOnePercentWhenNoneLandsExactly() {
    AllocationCurve curve = new AllocationCurve(10_000);
    curve.record(12_000, 9_000);
    curve.record(12_900, 9_400);

    assertThat(curve.rateAt(130)).isEqualTo(94.0);
    assertThat(curve.rateAt(100)).isNaN();
  }

  @Test
  void halvesRoundToEven() {
    assertThat(AllocationCurve.round2(0.125)).isEqualTo(0.12);
    assertThat(AllocationCurve.round2(0.375)).isEqualTo(0.38);
  }
}
