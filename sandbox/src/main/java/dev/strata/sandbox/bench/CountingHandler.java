package dev.strata.sandbox.bench;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts objects as their watch events arrive. */
final class CountingHandler<T> implements ResourceEventHandler<T> {
  private final AtomicInteger counter;

  CountingHandler(AtomicInteger counter) {
    this.counter = counter;
  }

  @Override
  public void onAdd(T obj) {
    counter.incrementAndGet();
  }

  @Override
  public void onUpdate(T oldObj, T newObj) {}

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    counter.decrementAndGet();
  }
}
