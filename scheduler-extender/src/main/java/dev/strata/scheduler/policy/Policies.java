package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The scoring policies by name, as the benchmark and configuration refer to them. */
public final class Policies {

  /** Names in the order reports list them. */
  public static final List<String> NAMES =
      List.of(
          "DotProd",
          "GpuPacking",
          "BestFit",
          "FGD",
          "Strata",
          "StrataOnline",
          "StrataCpuAware",
          "StrataCpuAwareOnline",
          "StrataTopology",
          "Spread");

  /**
   * The policy Strata's scheduler ships with: the best at 100 % arrival on the default Alibaba
   * trace and never below FGD on any of the 13 traces of docs/benchmarks.md.
   */
  public static final String DEFAULT = "StrataCpuAware";

  private Policies() {}

  /** A fresh instance of {@link #DEFAULT}. */
  public static ScoringPolicy createDefault(List<PodRequest> pastPods) {
    return create(DEFAULT, pastPods);
  }

  /**
   * A fresh policy instance; {@code pastPods} is the workload history that distribution-aware
   * policies learn from.
   */
  public static ScoringPolicy create(String name, List<PodRequest> pastPods) {
    return create(name, pastPods, null);
  }

  /**
   * As {@link #create(String, List)}; when {@code modelsAsWritten} is not null the FGD baseline
   * counts typical pods by their GPU model restriction as the workload wrote it, as the FGD paper's
   * artifact does (see {@link TypicalPods#of(List, Function)}). Strata's policies group by the set
   * of models either way.
   */
  public static ScoringPolicy create(
      String name, List<PodRequest> pastPods, Function<PodRequest, String> modelsAsWritten) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "default" -> createDefault(pastPods);
      case "bestfit", "binpack" -> new BestFit();
      case "spread", "leastallocated" -> new Spread();
      case "gpupacking" -> new GpuPacking();
      case "dotprod", "dotproduct" -> new DotProduct();
      case "fgd" ->
          new Fgd(
              modelsAsWritten == null
                  ? TypicalPods.of(pastPods)
                  : TypicalPods.of(pastPods, modelsAsWritten));
      case "strata", "cpubalancedfgd" -> CpuBalancedFgd.fromHistory(pastPods);
      case "strataonline" -> new LearnedOnline("StrataOnline", CpuBalancedFgd::fromHistory);
      case "stratacpuawareonline" ->
          new LearnedOnline("StrataCpuAwareOnline", CpuAwareFgd::fromHistory);
      case "stratacpuaware", "cpuawarefgd" -> CpuAwareFgd.fromHistory(pastPods);
      case "stratatopology" -> new Renamed("StrataTopology", CpuAwareFgd.fromHistory(pastPods));
      default ->
          throw new IllegalArgumentException(
              "unknown policy " + name + "; known: " + String.join(", ", NAMES));
    };
  }
}
