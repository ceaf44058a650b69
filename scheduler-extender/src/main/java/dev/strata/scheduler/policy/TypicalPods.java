package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The workload FGD measures fragmentation against: the most common request shapes among past pods,
 * with their frequencies, enough of them to cover a given share of all pods (95 % by default), the
 * frequencies renormalised to sum to one. Built from pods already seen, never from future arrivals.
 *
 * <p>A shape is CPU, per-GPU milli, GPU count and the allowed GPU models. By default the models are
 * grouped as a set; {@link #of(List, Function)} takes them as the workload wrote them instead, as
 * FGD's artifact does (it keys shapes by the model annotation's text, so {@code A|B|B} and {@code
 * A|B} are two shapes there).
 */
public final class TypicalPods {

  /** One request shape and how often it occurs, 0..1. */
  public record Shape(
      long cpuMilli, int gpuMilli, int gpuCount, String gpuModels, double frequency) {

    /** True when a node of {@code model} may host this shape, as FGD's model rule reads it. */
    boolean accessibleOn(String model) {
      if (gpuModels.isEmpty()) {
        return true;
      }
      if (model.isEmpty()) {
        return false;
      }
      for (String allowed : gpuModels.split("\\|")) {
        if (allowed.equals(model)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Key(long cpuMilli, int gpuMilli, int gpuCount, String gpuModels) {}

  // Ties in frequency are ordered by size, larger first, so the cut-off does not depend on the
  // order pods were seen in.
  private static final Comparator<Key> BY_SIZE =
      Comparator.comparingLong(Key::cpuMilli)
          .thenComparingInt(Key::gpuMilli)
          .thenComparingInt(Key::gpuCount)
          .thenComparing(Key::gpuModels);

  private final List<Shape> shapes;

  private TypicalPods(List<Shape> shapes) {
    this.shapes = List.copyOf(shapes);
  }

  public static TypicalPods of(List<PodRequest> pods) {
    return of(pods, 95);
  }

  public static TypicalPods of(List<PodRequest> pods, int coveragePercent) {
    return of(pods, coveragePercent, TypicalPods::modelSet);
  }

  /**
   * @param modelsAsWritten a GPU pod's allowed models as one {@code |}-separated text; shapes that
   *     differ only in this text are counted apart
   */
  public static TypicalPods of(
      List<PodRequest> pods, Function<PodRequest, String> modelsAsWritten) {
    return of(pods, 95, modelsAsWritten);
  }

  private static TypicalPods of(
      List<PodRequest> pods, int coveragePercent, Function<PodRequest, String> models) {
    Map<Key, Integer> counts = new HashMap<>();
    for (PodRequest pod : pods) {
      counts.merge(keyOf(pod, models), 1, Integer::sum);
    }
    List<Map.Entry<Key, Integer>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(
        Map.Entry.<Key, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(BY_SIZE))
            .reversed());
    double total = pods.size();
    double wanted = coveragePercent * total / 100.0;
    double covered = 0;
    int kept = 0;
    while (covered < wanted && kept < ranked.size()) {
      covered += ranked.get(kept).getValue();
      kept++;
    }
    double keptShare = covered / total;
    List<Shape> shapes = new ArrayList<>(kept);
    for (int i = 0; i < kept; i++) {
      Key key = ranked.get(i).getKey();
      double frequency = ranked.get(i).getValue() / total;
      if (kept < ranked.size()) {
        frequency /= keptShare;
      }
      shapes.add(
          new Shape(key.cpuMilli(), key.gpuMilli(), key.gpuCount(), key.gpuModels(), frequency));
    }
    return new TypicalPods(shapes);
  }

  private static String modelSet(PodRequest pod) {
    return String.join("|", new TreeSet<>(pod.allowedGpuModels()));
  }

  private static Key keyOf(PodRequest pod, Function<PodRequest, String> models) {
    return new Key(
        pod.cpuMilli(), pod.gpuMilli(), pod.gpuCount(), pod.needsGpu() ? models.apply(pod) : "");
  }

  public List<Shape> shapes() {
    return shapes;
  }
}
