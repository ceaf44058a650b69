package dev.strata.sandbox.sim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many nodes of each GPU model the compute cluster has, as written on the command line: {@code
 * v100=16,p100=16}. Models keep the order they were written in, so node, rack and switch numbers
 * follow it.
 */
public record NodeInventorySpec(Map<GpuNodeModel, Integer> counts) {
  /** The most nodes one sandbox simulates: each gets its own /24 of 10.244.0.0/16. */
  public static final int MAX_NODES = 256;

  public NodeInventorySpec {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    if (total > MAX_NODES) {
      throw new IllegalArgumentException(
          "at most " + MAX_NODES + " nodes can be simulated, asked for " + total);
    }
  }

  public static NodeInventorySpec defaults() {
    return parse("v100=16,p100=16");
  }

  /**
   * @throws IllegalArgumentException naming the bad part, for anything but {@code model=count}
   *     pairs of known models with counts from 0
   */
  public static NodeInventorySpec parse(String text) {
    Map<GpuNodeModel, Integer> counts = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "'" + part.trim() + "' is not MODEL=COUNT (for example v100=16)");
      }
      GpuNodeModel model =
          GpuNodeModel.named(kv[0])
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown GPU model '"
                              + kv[0].trim()
                              + "': choose from "
                              + Arrays.stream(GpuNodeModel.values())
                                  .map(m -> m.label().toLowerCase(java.util.Locale.ROOT))
                                  .collect(Collectors.joining(", "))));
      int count;
      try {
        count = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "node count '" + kv[1].trim() + "' for " + kv[0].trim() + " is not a number");
      }
      if (count < 0) {
        throw new IllegalArgumentException(
            "node count for " + kv[0].trim() + " must be 0 or more, got " + count);
      }
      if (counts.put(model, count) != null) {
        throw new IllegalArgumentException(kv[0].trim() + " is given twice");
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("no nodes given (for example v100=16,p100=16)");
    }
    return new NodeInventorySpec(counts);
  }

  @Override
  public String toString() {
    return counts.entrySet().stream()
        .map(e -> e.getKey().label().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
