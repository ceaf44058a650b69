package dev.strata.scheduler.standalone;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.atomic.AtomicLong;

/** Names of the objects the standalone scheduler creates: Events only. */
final class StandaloneNames {

  private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis() * 1000);

  private StandaloneNames() {}

  /** {@code <pod>.<hex>}, unique per process and increasing, as kubectl lists events by it. */
  static String event(Pod pod) {
    return pod.getMetadata().getName() + "." + Long.toHexString(SEQUENCE.incrementAndGet());
  }
}
