package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GoRandomTest {

  private static long[] first(GoRandom random, int n) {
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextInt();
    }
    return values;
  }

  @Test
  void seedsAreReducedModulo2To31Minus1AndZeroIsReplacedAsGoDoes() {
    assertThat(first(new GoRandom(5), 20))
        .containsExactly(first(new GoRandom(5L + Integer.MAX_VALUE), 20));
    assertThat(first(new GoRandom(0), 20)).containsExactly(first(new GoRandom(89482311), 20));
    assertThat(first(new GoRandom(42), 20)).isNotEqualTo(first(new GoRandom(43), 20));
  }

  @Test
  void valuesAreNonNegative63BitIntegers() {
    GoRandom random = new GoRandom(42);
    for (int i = 0; i < 10_000; i++) {
      assertThat(random.int63()).isNotNegative();
    }
  }

  @Test
  void float64IsOneInt63Over2To63AsInGo() {
    // Go: rand.Seed(1); rand.Int63() is 5577006791947779410, rand.Float64() 0.6046602879796196.
    assertThat(new GoRandom(1).int63()).isEqualTo(5577006791947779410L);
    assertThat(new GoRandom(1).float64()).isEqualTo(0.6046602879796196);
    GoRandom floats = new GoRandom(42);
    GoRandom ints = new GoRandom(42);
    for (int i = 0; i < 10_000; i++) {
      double f = floats.float64();
      assertThat(f).isGreaterThanOrEqualTo(0.0).isLessThan(1.0).isEqualTo(ints.int63() / 0x1p63);
    }
  }

  @Test
  void boundedDrawsStayInRangeAndReachEveryValue() {
    for (int n : new int[] {1, 2, 7, 8, 1000}) {
      GoRandom random = new GoRandom(n);
      boolean[] seen = new boolean[n];
      for (int i = 0; i < 50 * n; i++) {
        int v = random.int31n(n);
        assertThat(v).isBetween(0, n - 1);
        seen[v] = true;
      }
      assertThat(seen).as("all of 0..%d drawn", n - 1).doesNotContain(false);
    }
    assertThatThrownBy(() -> new GoRandom(1).int31n(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void permIsAPermutationDeterminedBySeed() {
    int[] perm = new GoRandom(42).perm(1213);

    assertThat(perm).containsExactlyInAnyOrder(IntStream.range(0, 1213).toArray());
    assertThat(perm).containsExactly(new GoRandom(42).perm(1213));
    assertThat(perm).isNotEqualTo(new GoRandom(43).perm(1213));
  }

  @Test
  void shuffleIsAPermutationDeterminedBySeed() {
    List<Integer> a = new ArrayList<>(IntStream.range(0, 1000).boxed().toList());
    List<Integer> b = new ArrayList<>(a);
    new GoRandom(42).shuffle(a);
    new GoRandom(42).shuffle(b);
    assertThat(a)
        .isEqualTo(b)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000).boxed().toList());
    assertThat(a).isNotEqualTo(IntStream.range(0, 1000).boxed().toList());
  }
}
