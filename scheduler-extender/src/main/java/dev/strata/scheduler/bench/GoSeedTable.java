package dev.strata.scheduler.bench;

/**
 * Computes the 607-value table that Go's {@code math/rand} XORs into every freshly seeded state. Go
 * documents the table as the state of its additive lagged Fibonacci generator (lags 607 and 273,
 * arithmetic modulo 2^64) after 7.8 × 10^12 steps from seed 1, where seed 1 fills the state with
 * three Lehmer draws per slot combined by shifts of 20 and 10 bits. Stepping 7.8 × 10^12 times
 * would take hours, so the state is jumped there: the generator is a linear recurrence {@code s(t)
 * = s(t-607) + s(t-273)}, hence {@code s(n+j) = Σ c(i) s(i+j)} where {@code Σ c(i) x^i = x^n mod
 * (x^607 - x^334 - 1)}, a polynomial power found by repeated squaring in well under a second.
 */
final class GoSeedTable {

  static final int LENGTH = 607;
  static final int TAP = 273;

  /** Steps from the seed-1 state to the table, as Go's documentation of the table states. */
  static final long STEPS = 7_800_000_000_000L;

  private GoSeedTable() {}

  /** The table, slot by slot. */
  static long[] compute() {
    return advance(seedOneState(), STEPS);
  }

  /**
   * The state (slot by slot) that {@code calls} steps of the generator leave when started from
   * {@code state} with the tap at slot 0 and the feed at slot {@value #LENGTH} − {@value #TAP}:
   * each step moves both one slot down (wrapping) and adds the tap's value into the feed's slot.
   */
  static long[] advance(long[] state, long calls) {
    if (state.length != LENGTH || calls < 0) {
      throw new IllegalArgumentException("need " + LENGTH + " slots and calls >= 0");
    }
    // Value number k of the sequence (the initial slots are numbers 0..606) lives in slot
    // (333 - k) mod 607: the first step adds slot 606 (number 334) into slot 333 (number 0) and
    // writes number 607 there, and each later step does the same one slot lower.
    long[] sequence = new long[2 * LENGTH - 1];
    for (int k = 0; k < LENGTH; k++) {
      sequence[k] = state[slotOf(k)];
    }
    for (int k = LENGTH; k < sequence.length; k++) {
      sequence[k] = sequence[k - LENGTH] + sequence[k - TAP];
    }
    long[] coefficients = xToThe(calls);
    long[] result = new long[LENGTH];
    for (int j = 0; j < LENGTH; j++) {
      long value = 0;
      for (int i = 0; i < LENGTH; i++) {
        value += coefficients[i] * sequence[i + j];
      }
      result[slotOf(calls + j)] = value;
    }
    return result;
  }

  private static int slotOf(long k) {
    return (int) Math.floorMod(LENGTH - TAP - 1 - k, (long) LENGTH);
  }

  // x^n modulo x^607 - x^334 - 1, coefficients modulo 2^64 (Java's wrapping long arithmetic).
  private static long[] xToThe(long n) {
    long[] result = new long[LENGTH];
    result[0] = 1;
    long[] power = new long[LENGTH];
    power[1] = 1;
    while (n > 0) {
      if ((n & 1) != 0) {
        result = multiply(result, power);
      }
      n >>>= 1;
      if (n > 0) {
        power = multiply(power, power);
      }
    }
    return result;
  }

  private static long[] multiply(long[] a, long[] b) {
    long[] product = new long[2 * LENGTH - 1];
    for (int i = 0; i < LENGTH; i++) {
      long ai = a[i];
      if (ai == 0) {
        continue;
      }
      for (int j = 0; j < LENGTH; j++) {
        product[i + j] += ai * b[j];
      }
    }
    // x^d = x^(d-607) * x^607 ≡ x^(d-273) + x^(d-607); from the top so that folded terms fold
    // again.
    for (int d = product.length - 1; d >= LENGTH; d--) {
      long c = product[d];
      product[d - TAP] += c;
      product[d - LENGTH] += c;
    }
    long[] reduced = new long[LENGTH];
    System.arraycopy(product, 0, reduced, 0, LENGTH);
    return reduced;
  }

  // Seed 1 as the table's generator seeds it: 20 Lehmer draws discarded, then three per slot.
  private static long[] seedOneState() {
    long[] state = new long[LENGTH];
    int x = 1;
    for (int i = -20; i < LENGTH; i++) {
      x = GoRandom.lehmer(x);
      if (i >= 0) {
        long u = (long) x << 20;
        x = GoRandom.lehmer(x);
        u ^= (long) x << 10;
        x = GoRandom.lehmer(x);
        u ^= x;
        state[i] = u;
      }
    }
    return state;
  }
}
