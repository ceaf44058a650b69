package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The baselines, replayed on the real trace, land within 0.3 points of the FGD paper artifact's
 * published 10-seed means: evidence that workload generation, tie-breaking, scoring and the metric
 * all match the experiment. Strata's own policy, replayed beside them, must beat FGD.
 */
class PublishedBaselinesTest {

  private static final Path TRACES =
      Path.of(System.getProperty("strata.root", ".."), "..", "shared", "traces", "alibaba-v2023");

  @Test
  void baselinesOnTheDefaultTraceMatchThePublishedMeans() throws Exception {
    Path pods = TRACES.resolve("openb_pod_list_default.csv");
    assumeTrue(Files.isRegularFile(pods), "trace not available at " + TRACES);
    TraceBenchmark benchmark = new TraceBenchmark(new PrintStream(new ByteArrayOutputStream()));
    benchmark.nodesFile = TRACES.resolve("openb_node_list_gpu_node.csv");
    benchmark.podsFile = pods;
    benchmark.policies =
        List.of("DotProd", "GpuPacking", "BestFit", "FGD", "Strata", "StrataCpuAware");
    benchmark.seeds = "42-51";
    benchmark.arrivals = List.of(100);
    benchmark.ratio = 1.3;
    benchmark.threads = 2;

    TraceBenchmark.Result result = benchmark.run();

    assertThat(TraceBenchmark.mean(result.rates().get("DotProd"), 0)).isCloseTo(90.62, within(0.3));
    assertThat(TraceBenchmark.mean(result.rates().get("GpuPacking"), 0))
        .isCloseTo(91.78, within(0.3));
    assertThat(TraceBenchmark.mean(result.rates().get("BestFit"), 0)).isCloseTo(92.86, within(0.3));
    double fgd = TraceBenchmark.mean(result.rates().get("FGD"), 0);
    assertThat(fgd).isCloseTo(95.23, within(0.3));
    // Side by side in the same harness, Strata's policy must do better than FGD.
    assertThat(TraceBenchmark.mean(result.rates().get("Strata"), 0))
        .isGreaterThan(fgd)
        .isGreaterThan(95.23);
  }

  /**
   * One seed, past the point where pods start to fail, placement by placement: the artifact's
   * per-seed rates for seed 42 on {@code cpu250} (its
   * experiments/analysis/expected_results/analysis_allo_discrete.csv) at 90, 100 and 130 % arrival.
   * They agree only if every node choice agrees, which needs the artifact's node tie order.
   */
  @Test
  void everyBaselineReproducesTheArtifactsSeed42PastTheFirstFailures() throws Exception {
    Path pods = TRACES.resolve("openb_pod_list_cpu250.csv");
    assumeTrue(Files.isRegularFile(pods), "trace not available at " + TRACES);
    TraceBenchmark benchmark = new TraceBenchmark(new PrintStream(new ByteArrayOutputStream()));
    benchmark.nodesFile = TRACES.resolve("openb_node_list_gpu_node.csv");
    benchmark.podsFile = pods;
    benchmark.policies = List.of("DotProd", "GpuPacking", "BestFit", "FGD");
    benchmark.seeds = "42";
    benchmark.arrivals = List.of(90, 100, 130);
    benchmark.ratio = 1.3;
    benchmark.threads = 2;

    TraceBenchmark.Result result = benchmark.run();

    assertThat(result.rates().get("DotProd").get(0))
        .containsExactly(new double[] {83.79, 83.88, 84.10}, within(0.005));
    assertThat(result.rates().get("GpuPacking").get(0))
        .containsExactly(new double[] {87.17, 87.26, 87.48}, within(0.005));
    assertThat(result.rates().get("BestFit").get(0))
        .containsExactly(new double[] {90.02, 91.29, 91.51}, within(0.005));
    assertThat(result.rates().get("FGD").get(0))
        .containsExactly(new double[] {90.02, 93.29, 93.51}, within(0.005));
  }

  /**
   * FGD where pods restrict GPU models: the artifact counts typical pods by the model list as
   * written, so {@code V100M16|V100M32|V100M32} is a shape of its own; seed 42 on {@code gpuspec10}
   * at 60, 100 and 130 % arrival, as in the artifact's per-seed results.
   */
  @Test
  void fgdReproducesTheArtifactsSeed42WhereModelListsRepeatAModel() throws Exception {
    Path pods = TRACES.resolve("openb_pod_list_gpuspec10.csv");
    assumeTrue(Files.isRegularFile(pods), "trace not available at " + TRACES);
    TraceBenchmark benchmark = new TraceBenchmark(new PrintStream(new ByteArrayOutputStream()));
    benchmark.nodesFile = TRACES.resolve("openb_node_list_gpu_node.csv");
    benchmark.podsFile = pods;
    benchmark.policies = List.of("FGD");
    benchmark.seeds = "42";
    benchmark.arrivals = List.of(60, 100, 130);
    benchmark.ratio = 1.3;
    benchmark.threads = 1;

    TraceBenchmark.Result result = benchmark.run();

    assertThat(result.rates().get("FGD").get(0))
        .containsExactly(new double[] {58.27, 94.49, 94.73}, within(0.005));
  }
}
