package dev.strata.scheduler.bench;

/**
 * The pseudo-random stream of Go's {@code math/rand} after {@code rand.Seed(seed)}: Mitchell and
 * Reeds' additive lagged Fibonacci generator (lags 607 and 273) seeded through a Lehmer generator
 * and a seed table that {@link GoSeedTable} computes from Go's description of it. The trace
 * experiments shuffle pods and rank nodes with it, and Java's {@link java.util.Random} gives other
 * permutations, so reproducing the published numbers needs the same stream. Only the derivations
 * the experiments use are provided, each computed the way Go computes it, so that the same calls
 * consume the same values.
 */
public final class GoRandom {

  private static final int LENGTH = 607;
  private static final int TAP = 273;
  private static final long MASK = Long.MAX_VALUE;
  private static final int INT32_MAX = Integer.MAX_VALUE;
  private static final long[] COOKED = GoSeedTable.compute();

  private final long[] vec = new long[LENGTH];
  private int tap;
  private int feed;

  public GoRandom(long seed) {
    tap = 0;
    feed = LENGTH - TAP;
    seed = seed % INT32_MAX;
    if (seed < 0) {
      seed += INT32_MAX;
    }
    if (seed == 0) {
      seed = 89482311;
    }
    int x = (int) seed;
    for (int i = -20; i < LENGTH; i++) {
      x = lehmer(x);
      if (i >= 0) {
        long u = (long) x << 40;
        x = lehmer(x);
        u ^= (long) x << 20;
        x = lehmer(x);
        u ^= x;
        u ^= COOKED[i];
        vec[i] = u;
      }
    }
  }

  // x -> 48271 x mod (2^31 - 1), by Schrage's method so that nothing overflows 32 bits.
  static int lehmer(int x) {
    int hi = x / 44488;
    int lo = x % 44488;
    x = 48271 * lo - 3399 * hi;
    if (x < 0) {
      x += INT32_MAX;
    }
    return x;
  }

  /** Go's {@code Int63}: a non-negative 63-bit value. */
  public long int63() {
    if (--tap < 0) {
      tap += LENGTH;
    }
    if (--feed < 0) {
      feed += LENGTH;
    }
    long x = vec[feed] + vec[tap];
    vec[feed] = x;
    return x & MASK;
  }

  /** Go's {@code Int} on a 64-bit platform. */
  public long nextInt() {
    return int63();
  }

  /**
   * Go's {@code Float64}: an {@code Int63} over 2^63, drawn again in the rare case that rounds to
   * 1, so it consumes one value almost always.
   */
  public double float64() {
    while (true) {
      double f = (double) int63() / 0x1p63;
      if (f != 1.0) {
        return f;
      }
    }
  }

  public int int31() {
    return (int) (int63() >>> 32);
  }

  private int uint32() {
    return (int) (int63() >>> 31);
  }

  /** Go's {@code Int31n}, also what {@code Intn} does for n below 2^31. */
  public int int31n(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    if ((n & (n - 1)) == 0) {
      return int31() & (n - 1);
    }
    int max = (int) ((1L << 31) - 1 - (1L << 31) % n);
    int v = int31();
    while (v > max) {
      v = int31();
    }
    return v % n;
  }

  public int intn(int n) {
    return int31n(n);
  }

  // Go's unexported int31n (Lemire's multiply-shift), which Shuffle uses instead of Int31n.
  private int int31nFast(int n) {
    long v = Integer.toUnsignedLong(uint32());
    long prod = v * n;
    long low = prod & 0xffffffffL;
    if (low < n) {
      long thresh = Integer.toUnsignedLong(-n) % n;
      while (low < thresh) {
        v = Integer.toUnsignedLong(uint32());
        prod = v * n;
        low = prod & 0xffffffffL;
      }
    }
    return (int) (prod >>> 32);
  }

  /** Go's {@code Perm}. */
  public int[] perm(int n) {
    int[] m = new int[n];
    for (int i = 0; i < n; i++) {
      int j = intn(i + 1);
      m[i] = m[j];
      m[j] = i;
    }
    return m;
  }

  /** Go's {@code Shuffle}: Fisher-Yates from the end, swapping in place. */
  public <T> void shuffle(java.util.List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = int31nFast(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
