package dev.strata.scheduler.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The artifact's published 10-seed mean allocation rates ({@code published-allocation-rates.csv}:
 * {@code workload,arrival_pct,<policy>...}).
 */
public final class PublishedRates {

  private final Map<String, Double> rates;

  private PublishedRates(Map<String, Double> rates) {
    this.rates = rates;
  }

  public static PublishedRates none() {
    return new PublishedRates(Map.of());
  }

  public static PublishedRates read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String[] header = lines.get(0).strip().split(",");
    Map<String, Double> rates = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.strip().split(",");
      if (cells.length < header.length) {
        continue;
      }
      for (int c = 2; c < header.length; c++) {
        rates.put(
            key(cells[0], Integer.parseInt(cells[1]), header[c]), Double.parseDouble(cells[c]));
      }
    }
    return new PublishedRates(rates);
  }

  public OptionalDouble rate(String workload, int arrivalPercent, String policy) {
    Double rate = rates.get(key(workload, arrivalPercent, policy));
    return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
  }

  private static String key(String workload, int arrival, String policy) {
    return workload + "/" + arrival + "/" + policy;
  }
}
