package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoSeedTableTest {

  // The generator stepped one call at a time: both indices move one slot down, the tap's value is
  // added into the feed's slot.
  private static long[] stepped(long[] start, long calls) {
    long[] state = start.clone();
    int tap = 0;
    int feed = GoSeedTable.LENGTH - GoSeedTable.TAP;
    for (long c = 0; c < calls; c++) {
      if (--tap < 0) {
        tap += GoSeedTable.LENGTH;
      }
      if (--feed < 0) {
        feed += GoSeedTable.LENGTH;
      }
      state[feed] += state[tap];
    }
    return state;
  }

  private static long[] randomState(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] state = new long[GoSeedTable.LENGTH];
    for (int i = 0; i < state.length; i++) {
      state[i] = random.nextLong();
    }
    return state;
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 272, 273, 333, 334, 335, 606, 607, 608, 1213, 1214, 100_003})
  void jumpingAheadEqualsSteppingOneCallAtATime(long calls) {
    long[] start = randomState(calls);

    assertThat(GoSeedTable.advance(start, calls)).containsExactly(stepped(start, calls));
  }

  @Test
  void jumpingFarAheadEqualsSteppingOneCallAtATime() {
    long[] start = randomState(7);
    long calls = 3_000_017;

    assertThat(GoSeedTable.advance(start, calls)).containsExactly(stepped(start, calls));
  }

  @Test
  void theTableIsTheSameOnEveryComputationAndUsesAll64Bits() {
    long[] table = GoSeedTable.compute();

    assertThat(table).hasSize(GoSeedTable.LENGTH).containsExactly(GoSeedTable.compute());
    // The seed-1 state holds values below 2^51; 7.8e12 additions modulo 2^64 spread them over
    // the whole word, negative values included.
    assertThat(Arrays.stream(table)).anyMatch(v -> v < 0);
    assertThat(Arrays.stream(table)).anyMatch(v -> v > (1L << 62));
  }
}
