package dev.strata.scheduler.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * GPU milli arrived (A, failed pods included) and allocated (U) after each pod of a run, and the
 * paper's metric over them: the allocation rate at arrival x % is the mean of U / capacity over the
 * pods whose A / capacity rounds to x %, each rate rounded to 0.01 % first. When no pod lands on x
 * exactly, the pods within one point of it are used, as the artifact's analysis script does.
 */
public final class AllocationCurve {

  private final long capacityMilli;
  private long[] arrived = new long[1024];
  private long[] allocated = new long[1024];
  private int size;

  public AllocationCurve(long capacityMilli) {
    this.capacityMilli = capacityMilli;
  }

  public void record(long arrivedMilli, long allocatedMilli) {
    if (size == arrived.length) {
      arrived = Arrays.copyOf(arrived, size * 2);
      allocated = Arrays.copyOf(allocated, size * 2);
    }
    arrived[size] = arrivedMilli;
    allocated[size] = allocatedMilli;
    size++;
  }

  public int size() {
    return size;
  }

  /** Allocation rate in percent at arrival {@code percent}, NaN when the run never got near it. */
  public double rateAt(int percent) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (arrivalPercent(i) == percent) {
        sum += allocationPercent(i);
        n++;
      }
    }
    if (n == 0) {
      for (int i = 0; i < size; i++) {
        double a = arrivalPercent(i);
        if (a >= percent - 1 && a <= percent + 1) {
          sum += allocationPercent(i);
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : round2(sum / n);
  }

  // The artifact divides milli by the GPU count and by 10; the same operations give the same
  // doubles, and Math.rint rounds halves to even like Python's round.
  private double arrivalPercent(int i) {
    return Math.rint(arrived[i] / (double) (capacityMilli / 1000) / 10);
  }

  private double allocationPercent(int i) {
    return round2(allocated[i] / (double) (capacityMilli / 1000) / 10);
  }

  static double round2(double x) {
    return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }
}
