package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Expected values are outputs of Go's math/rand (its regression goldens and well-known seeds). */
class GoRandomTest {

  @Test
  void seedOneGivesGosFamousFirstInts() {
    GoRandom random = new GoRandom(1);
    assertThat(random.nextInt()).isEqualTo(5577006791947779410L);
    assertThat(random.nextInt()).isEqualTo(8674665223082153551L);
    assertThat(random.nextInt()).isEqualTo(6129484611666145821L);
  }

  @Test
  void seedZeroMatchesGosRegressionGoldens() {
    GoRandom ints = new GoRandom(0);
    assertThat(ints.nextInt()).isEqualTo(8717895732742165505L);
    assertThat(ints.nextInt()).isEqualTo(2259404117704393152L);
    assertThat(ints.nextInt()).isEqualTo(6050128673802995827L);

    GoRandom bounded = new GoRandom(0);
    int[] bounds = {
      1, 10, 32, 1 << 20, (1 << 20) + 1, 1_000_000_000, 1 << 30, Integer.MAX_VALUE - 1
    };
    int[] expected = {0, 4, 25, 310570, 857611, 621654496, 413258767, 1407315077};
    for (int i = 0; i < bounds.length; i++) {
      assertThat(bounded.int31n(bounds[i])).as("Int31n(%d)", bounds[i]).isEqualTo(expected[i]);
    }

    GoRandom perms = new GoRandom(0);
    assertThat(perms.perm(0)).isEmpty();
    assertThat(perms.perm(1)).containsExactly(0);
    assertThat(perms.perm(5)).containsExactly(0, 4, 1, 3, 2);
    assertThat(perms.perm(8)).containsExactly(3, 1, 0, 4, 7, 5, 2, 6);
    assertThat(perms.perm(9)).containsExactly(5, 0, 3, 6, 7, 4, 2, 1, 8);
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
