package dev.strata.virtualnode.forward;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys waiting to be synced, worked off by a few threads. A key is queued at most once and never
 * synced by two threads at a time; a key added while it is being synced is synced again after. A
 * sync that throws is retried with a growing delay.
 */
final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = new HashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  WorkQueue(String name, int threads, Consumer<String> sync) {
    workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-retry");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < threads; i++) {
      workers.submit(() -> work(sync));
    }
  }

  synchronized void add(String key) {
    if (closed) {
      return;
    }
    if (processing.contains(key)) {
      dirty.add(key);
    } else if (queued.add(key)) {
      queue.add(key);
    }
  }

  void addAfter(String key, long millis) {
    if (!closed) {
      timer.schedule(() -> add(key), millis, TimeUnit.MILLISECONDS);
    }
  }

  private void work(Consumer<String> sync) {
    while (!closed) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        queued.remove(key);
        processing.add(key);
      }
      try {
        sync.accept(key);
        failures.remove(key);
      } catch (RuntimeException e) {
        int n = failures.merge(key, 1, Integer::sum);
        long delay = Math.min(MAX_BACKOFF_MS, 10L << Math.min(n, 10));
        LOG.debug("sync of {} failed ({} times), retrying in {} ms", key, n, delay, e);
        if (n == 5) {
          LOG.warn("sync of {} keeps failing: {}", key, e.toString());
        }
        addAfter(key, delay);
      } finally {
        synchronized (this) {
          processing.remove(key);
          if (dirty.remove(key)) {
            add(key);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    timer.shutdownNow();
  }
}
