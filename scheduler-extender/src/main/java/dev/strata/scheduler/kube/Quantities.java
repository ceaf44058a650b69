package dev.strata.scheduler.kube;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Kubernetes quantities in the core's units; a malformed one is an {@link BadQuantity}. */
final class Quantities {

  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  private Quantities() {}

  static final class BadQuantity extends Exception {
    BadQuantity(String message) {
      super(message);
    }
  }

  static BigDecimal amount(String resource, Quantity quantity) throws BadQuantity {
    if (quantity == null) {
      return BigDecimal.ZERO;
    }
    BigDecimal amount;
    try {
      amount = quantity.getNumericalAmount();
    } catch (RuntimeException e) {
      throw new BadQuantity(resource + " quantity '" + quantity + "' is not a valid quantity");
    }
    if (amount.signum() < 0) {
      throw new BadQuantity(resource + " quantity '" + quantity + "' is negative");
    }
    return amount;
  }

  /** Cores to milli: requests round up (never under-reserve), capacities round down. */
  static long cpuMilli(BigDecimal cores, boolean roundUp) {
    return cores
        .multiply(THOUSAND)
        .setScale(0, roundUp ? RoundingMode.CEILING : RoundingMode.FLOOR)
        .longValueExact();
  }

  /** Bytes to MiB: requests round up (never under-reserve), capacities round down. */
  static long mib(BigDecimal bytes, boolean roundUp) {
    return bytes
        .divide(MIB, 0, roundUp ? RoundingMode.CEILING : RoundingMode.FLOOR)
        .longValueExact();
  }

  /** An extended resource's count, which Kubernetes requires to be whole. */
  static int whole(String resource, BigDecimal amount) throws BadQuantity {
    BigDecimal stripped = amount.stripTrailingZeros();
    if (stripped.scale() > 0) {
      throw new BadQuantity(
          resource + " must be a whole number, not " + amount.stripTrailingZeros().toPlainString());
    }
    if (stripped.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new BadQuantity(resource + " of " + amount.toPlainString() + " is too large");
    }
    return stripped.intValueExact();
  }
}
