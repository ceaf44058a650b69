package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.policy.Policies;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays an Alibaba GPU trace under each policy and seed, as the FGD paper's experiment does (see
 * {@code shared/traces/alibaba-v2023/README.md}), and prints the GPU allocation rate at the given
 * arrival points next to the artifact's published numbers.
 */
@Command(
    name = "trace-benchmark",
    mixinStandardHelpOptions = true,
    description = "GPU allocation rate of scheduling policies on an Alibaba GPU trace.")
public final class TraceBenchmark implements Callable<Integer> {

  @Option(names = "--nodes", required = true, description = "node list CSV")
  Path nodesFile;

  @Option(names = "--pods", required = true, description = "pod list CSV")
  Path podsFile;

  @Option(
      names = "--policy",
      split = ",",
      description = "policies to run (default: ${DEFAULT-VALUE})",
      defaultValue = "DotProd,GpuPacking,BestFit,FGD,Strata,StrataCpuAware")
  List<String> policies;

  @Option(names = "--seeds", defaultValue = "42-51", description = "seed range or list")
  String seeds;

  @Option(
      names = "--arrival",
      split = ",",
      defaultValue = "100,130",
      description = "arrival points, %% of GPU capacity")
  List<Integer> arrivals;

  @Option(names = "--ratio", defaultValue = "1.3", description = "workload size / GPU capacity")
  double ratio;

  @Option(names = "--format", defaultValue = "table", description = "table or json")
  String format;

  @Option(
      names = "--published",
      description = "published rates CSV (default: published-allocation-rates.csv beside --pods)")
  Path publishedFile;

  @Option(
      names = "--plot",
      description =
          "also write a PNG of each policy's seed-mean allocation rate against arrival (0-130 %%)")
  Path plotFile;

  @Option(
      names = "--topology",
      description =
          "topology-aware variant: switch and rack labels, pods of 4+ GPUs as gangs of 2-4 (see"
              + " Topology); also reports the share of placed gangs within one switch")
  boolean topology;

  @Option(
      names = "--tie-order",
      defaultValue = "artifact",
      description =
          "per-seed node tie order: artifact (the paper artifact's) or inverse (its inverse"
              + " permutation, an equally random order; shows how much a mean depends on it)")
  String tieOrder = "artifact";

  @Option(names = "--threads", description = "worker threads (default: available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  private final PrintStream out;

  public TraceBenchmark() {
    this(System.out);
  }

  TraceBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TraceBenchmark()).execute(args));
  }

  /** Highest arrival point the plot draws, in percent. */
  static final int PLOT_MAX_ARRIVAL = 130;

  /**
   * Per policy, per seed, the rate at each arrival point; per policy, the seed-mean rate at arrival
   * 0..{@value #PLOT_MAX_ARRIVAL} % and the time per placement decision over all seeds' pods.
   */
  public record Result(
      String workload,
      List<Long> seeds,
      Map<String, List<double[]>> rates,
      Map<String, double[]> curves,
      Map<String, DecisionTime> decisionTimes,
      Map<String, GangStats> gangs) {}

  /** Gangs over all seeds: how many arrived, were placed, and were placed under one switch. */
  public record GangStats(int gangs, int placed, int withinOneSwitch) {

    GangStats plus(GangStats other) {
      return new GangStats(
          gangs + other.gangs, placed + other.placed, withinOneSwitch + other.withinOneSwitch);
    }
  }

  /** Wall time of one pod's placement decision, in microseconds. */
  public record DecisionTime(double meanMicros, double p99Micros, int decisions) {

    static DecisionTime of(List<long[]> nanosPerSeed) {
      int n = 0;
      for (long[] nanos : nanosPerSeed) {
        n += nanos.length;
      }
      long[] all = new long[n];
      int at = 0;
      double sum = 0;
      for (long[] nanos : nanosPerSeed) {
        System.arraycopy(nanos, 0, all, at, nanos.length);
        at += nanos.length;
        for (long v : nanos) {
          sum += v;
        }
      }
      if (n == 0) {
        return new DecisionTime(Double.NaN, Double.NaN, 0);
      }
      java.util.Arrays.sort(all);
      int p99 = Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1);
      return new DecisionTime(sum / n / 1000, all[p99] / 1000.0, n);
    }
  }

  private record SeedRun(double[] rates, double[] curve, long[] decisionNanos, GangStats gangs) {}

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Result result = run();
    double seconds = (System.nanoTime() - start) / 1e9;
    PublishedRates published = published();
    if (format.equalsIgnoreCase("json")) {
      printJson(result, published, seconds);
    } else {
      printTable(result, published, seconds);
    }
    if (plotFile != null) {
      AllocationPlot.write(
          plotFile,
          String.format(
              Locale.ROOT, "%s, mean of %d seeds", result.workload(), result.seeds().size()),
          result.curves());
    }
    return 0;
  }

  Result run() throws InterruptedException, ExecutionException {
    List<NodeSpec> byName = TraceRun.byName(TraceFiles.readNodes(nodesFile));
    List<NodeSpec> nodes = topology ? Topology.label(byName) : byName;
    List<PodRequest> pods = TraceFiles.readPods(podsFile);
    Map<String, String> gpuSpecs = TraceFiles.readGpuSpecs(podsFile);
    Function<PodRequest, String> specAsWritten =
        pod -> gpuSpecs.getOrDefault(pod.name(), String.join("|", pod.allowedGpuModels()));
    List<Long> seedList = parseSeeds(seeds);
    long capacity = 0;
    for (NodeSpec node : nodes) {
      capacity += (long) node.gpuCount() * NodeSpec.GPU_MILLI;
    }
    long gpuCapacity = capacity;
    boolean inverseTies =
        switch (tieOrder) {
          case "artifact" -> false;
          case "inverse" -> true;
          default ->
              throw new IllegalArgumentException(
                  "--tie-order must be artifact or inverse, not " + tieOrder);
        };
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      Map<String, List<Future<SeedRun>>> futures = new LinkedHashMap<>();
      for (String policy : policies) {
        Policies.create(policy, pods, specAsWritten); // fail fast on an unknown name
        List<Future<SeedRun>> perSeed = new ArrayList<>();
        for (long seed : seedList) {
          perSeed.add(
              pool.submit(
                  () -> {
                    Workload drawn = Workload.draw(pods, nodes.size(), gpuCapacity, ratio, seed);
                    Workload workload = inverseTies ? drawn.withInverseTieOrder() : drawn;
                    long[] nanos;
                    AllocationCurve curve;
                    GangStats gangs = null;
                    if (topology) {
                      nanos = new long[0];
                      Topology.Outcome outcome =
                          Topology.run(
                              nodes,
                              Topology.gangs(workload, seed),
                              workload.tieRanks(),
                              Policies.create(policy, pods, specAsWritten));
                      curve = outcome.curve();
                      gangs =
                          new GangStats(
                              outcome.gangs(), outcome.placed(), outcome.withinOneSwitch());
                    } else {
                      nanos = new long[workload.pods().size()];
                      curve =
                          TraceRun.run(
                              nodes, workload, Policies.create(policy, pods, specAsWritten), nanos);
                    }
                    double[] full = new double[PLOT_MAX_ARRIVAL + 1];
                    for (int x = 0; x <= PLOT_MAX_ARRIVAL; x++) {
                      full[x] = curve.rateAt(x);
                    }
                    return new SeedRun(
                        arrivals.stream().mapToDouble(curve::rateAt).toArray(), full, nanos, gangs);
                  }));
        }
        futures.put(policy, perSeed);
      }
      Map<String, List<double[]>> rates = new LinkedHashMap<>();
      Map<String, double[]> curves = new LinkedHashMap<>();
      Map<String, DecisionTime> times = new LinkedHashMap<>();
      Map<String, GangStats> gangs = new LinkedHashMap<>();
      for (Map.Entry<String, List<Future<SeedRun>>> entry : futures.entrySet()) {
        List<double[]> perSeed = new ArrayList<>();
        List<double[]> curvePerSeed = new ArrayList<>();
        List<long[]> nanosPerSeed = new ArrayList<>();
        for (Future<SeedRun> future : entry.getValue()) {
          SeedRun run = future.get();
          perSeed.add(run.rates());
          curvePerSeed.add(run.curve());
          nanosPerSeed.add(run.decisionNanos());
          if (run.gangs() != null) {
            gangs.merge(entry.getKey(), run.gangs(), GangStats::plus);
          }
        }
        rates.put(entry.getKey(), perSeed);
        curves.put(entry.getKey(), meanCurve(curvePerSeed));
        times.put(entry.getKey(), DecisionTime.of(nanosPerSeed));
      }
      return new Result(workloadName(), seedList, rates, curves, times, gangs);
    } finally {
      pool.shutdownNow();
    }
  }

  static List<Long> parseSeeds(String spec) {
    List<Long> list = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      if (dash > 0) {
        long from = Long.parseLong(p.substring(0, dash));
        long to = Long.parseLong(p.substring(dash + 1));
        for (long s = from; s <= to; s++) {
          list.add(s);
        }
      } else {
        list.add(Long.parseLong(p));
      }
    }
    return list;
  }

  /** Mean over the seeds that reached each point; NaN where none did. */
  static double[] meanCurve(List<double[]> perSeed) {
    double[] mean = new double[PLOT_MAX_ARRIVAL + 1];
    for (int x = 0; x <= PLOT_MAX_ARRIVAL; x++) {
      double sum = 0;
      int n = 0;
      for (double[] curve : perSeed) {
        if (!Double.isNaN(curve[x])) {
          sum += curve[x];
          n++;
        }
      }
      mean[x] = n == 0 ? Double.NaN : sum / n;
    }
    return mean;
  }

  static double mean(List<double[]> perSeed, int arrivalIndex) {
    double sum = 0;
    for (double[] rates : perSeed) {
      sum += rates[arrivalIndex];
    }
    return sum / perSeed.size();
  }

  private String workloadName() {
    String file = podsFile.getFileName().toString();
    return file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file;
  }

  private PublishedRates published() {
    if (topology) {
      return PublishedRates.none(); // gangs change the workload; the paper's numbers do not apply
    }
    Path file =
        publishedFile != null
            ? publishedFile
            : podsFile.toAbsolutePath().resolveSibling("published-allocation-rates.csv");
    return Files.isRegularFile(file) ? PublishedRates.read(file) : PublishedRates.none();
  }

  private void printTable(Result result, PublishedRates published, double seconds) {
    out.printf(Locale.ROOT, "workload %s, seeds %s, %.1f s%n", result.workload(), seeds, seconds);
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-20s %7s", "policy", "arrival"));
    for (long seed : result.seeds()) {
      header.append(String.format(Locale.ROOT, " %6d", seed));
    }
    header.append(String.format(Locale.ROOT, " %7s %9s %6s", "mean", "published", "diff"));
    out.println(header);
    for (Map.Entry<String, List<double[]>> entry : result.rates().entrySet()) {
      for (int a = 0; a < arrivals.size(); a++) {
        StringBuilder row =
            new StringBuilder(
                String.format(Locale.ROOT, "%-20s %6d%%", entry.getKey(), arrivals.get(a)));
        for (double[] rates : entry.getValue()) {
          row.append(String.format(Locale.ROOT, " %6.2f", rates[a]));
        }
        double mean = mean(entry.getValue(), a);
        OptionalDouble pub = published.rate(result.workload(), arrivals.get(a), entry.getKey());
        row.append(String.format(Locale.ROOT, " %7.2f", mean));
        if (pub.isPresent()) {
          row.append(
              String.format(
                  Locale.ROOT, " %9.2f %+6.2f", pub.getAsDouble(), mean - pub.getAsDouble()));
        } else {
          row.append(String.format(Locale.ROOT, " %9s %6s", "-", "-"));
        }
        out.println(row);
      }
    }
    if (!result.gangs().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "%n  %-20s %8s %8s %14s  (gangs over all seeds)%n",
          "policy",
          "gangs",
          "placed",
          "in one switch");
      for (Map.Entry<String, GangStats> entry : result.gangs().entrySet()) {
        GangStats g = entry.getValue();
        out.printf(
            Locale.ROOT,
            "  %-20s %8d %8d %13.1f%%%n",
            entry.getKey(),
            g.gangs(),
            g.placed(),
            g.placed() == 0 ? Double.NaN : 100.0 * g.withinOneSwitch() / g.placed());
      }
      return;
    }
    out.printf(
        Locale.ROOT,
        "%n  %-20s %10s %10s %10s  (wall time per placement decision, %d threads)%n",
        "policy",
        "mean us",
        "p99 us",
        "decisions",
        threads);
    for (Map.Entry<String, DecisionTime> entry : result.decisionTimes().entrySet()) {
      DecisionTime t = entry.getValue();
      out.printf(
          Locale.ROOT,
          "  %-20s %10.1f %10.1f %10d%n",
          entry.getKey(),
          t.meanMicros(),
          t.p99Micros(),
          t.decisions());
    }
  }

  // A run that never reached an arrival point has no rate there; JSON has no NaN.
  private static String number(double value, String format) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, format, value);
  }

  /**
   * One JSON object per line: a line per policy, seed and arrival, then per policy and arrival a
   * line with {@code "seed": "mean"} that also carries the published rate (when there is one) and
   * the time per decision. Fields as the issue specifies them, so other tools can read the output.
   */
  private void printJson(Result result, PublishedRates published, double seconds) {
    for (Map.Entry<String, List<double[]>> entry : result.rates().entrySet()) {
      String policy = entry.getKey();
      for (int a = 0; a < arrivals.size(); a++) {
        int arrival = arrivals.get(a);
        for (int s = 0; s < entry.getValue().size(); s++) {
          out.println(
              jsonLine(
                  result.workload(),
                  policy,
                  Long.toString(result.seeds().get(s)),
                  arrival,
                  entry.getValue().get(s)[a],
                  ""));
        }
        StringBuilder extra = new StringBuilder();
        OptionalDouble pub = published.rate(result.workload(), arrival, policy);
        if (pub.isPresent()) {
          extra.append(String.format(Locale.ROOT, ", \"published_pct\": %.2f", pub.getAsDouble()));
        }
        DecisionTime t = result.decisionTimes().get(policy);
        if (t != null) {
          extra
              .append(", \"decision_us_mean\": ")
              .append(number(t.meanMicros(), "%.2f"))
              .append(", \"decision_us_p99\": ")
              .append(number(t.p99Micros(), "%.2f"));
        }
        out.println(
            jsonLine(
                result.workload(),
                policy,
                "\"mean\"",
                arrival,
                mean(entry.getValue(), a),
                extra.toString()));
      }
    }
  }

  private static String jsonLine(
      String workload, String policy, String seed, int arrival, double rate, String extra) {
    return "{\"workload\": \""
        + workload
        + "\", \"policy\": \""
        + policy
        + "\", \"seed\": "
        + seed
        + ", \"arrival_pct\": "
        + arrival
        + ", \"gpu_allocation_pct\": "
        + number(rate, "%.2f")
        + extra
        + "}";
  }
}
