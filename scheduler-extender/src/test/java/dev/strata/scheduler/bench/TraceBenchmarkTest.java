package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TraceBenchmarkTest {

  @TempDir Path dir;

  private Path syntheticTrace() throws Exception {
    List<String> nodes = new ArrayList<>(List.of("sn,cpu_milli,memory_mib,gpu,model"));
    for (int i = 0; i < 48; i++) {
      nodes.add(
          String.format(
              "node-%02d,32000,131072,%d,%s",
              i, i % 3 == 0 ? 8 : 2, i % 2 == 0 ? "T4" : "V100M16"));
    }
    Files.write(dir.resolve("nodes.csv"), nodes);
    List<String> pods =
        new ArrayList<>(List.of("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec"));
    String[] shapes = {
      "4000,8192,1,1000,",
      "2000,4096,1,500,",
      "8000,16384,2,1000,",
      "1000,2048,0,0,",
      "2000,4096,1,250,T4"
    };
    for (int i = 0; i < 40; i++) {
      pods.add(String.format("pod-%03d,%s", i, shapes[i % shapes.length]));
    }
    Files.write(dir.resolve("synthetic.csv"), pods);
    Files.write(
        dir.resolve("published-allocation-rates.csv"),
        List.of(
            "workload,arrival_pct,Random,DotProd,GpuClustering,GpuPacking,BestFit,FGD",
            "synthetic,100,1,2,3,4,5,6"));
    return dir;
  }

  private String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code =
        new CommandLine(new TraceBenchmark(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
            .execute(args);
    assertThat(code).isZero();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEveryPolicyAndSeedBesideThePublishedNumber() throws Exception {
    Path trace = syntheticTrace();

    String table =
        run(
            "--nodes", trace.resolve("nodes.csv").toString(),
            "--pods", trace.resolve("synthetic.csv").toString(),
            "--seeds", "1-3",
            "--arrival", "100",
            "--threads", "2");

    assertThat(table).contains("workload synthetic").contains("policy").contains("published");
    for (String policy : List.of("DotProd", "GpuPacking", "BestFit", "FGD")) {
      assertThat(table.lines().filter(l -> l.startsWith(policy))).hasSize(1);
    }
    String bestFit = table.lines().filter(l -> l.startsWith("BestFit")).findFirst().orElseThrow();
    String[] cells = bestFit.trim().split("\\s+");
    // policy, arrival, three seeds, mean, published, diff
    assertThat(cells).hasSize(8);
    double mean = Double.parseDouble(cells[5]);
    assertThat(mean).isBetween(50.0, 100.0);
    assertThat(cells[6]).isEqualTo("5.00");
  }

  @Test
  void jsonCarriesPerSeedRatesAndMeans() throws Exception {
    Path trace = syntheticTrace();

    String json =
        run(
            "--nodes", trace.resolve("nodes.csv").toString(),
            "--pods", trace.resolve("synthetic.csv").toString(),
            "--policy", "FGD",
            "--seeds", "42,43",
            "--arrival", "100,130",
            "--format", "json");

    List<String> lines = json.lines().toList();
    // Per seed and arrival one line, and per arrival a mean line: 2 seeds x 2 arrivals + 2 means.
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0))
        .matches(
            "\\{\"workload\": \"synthetic\", \"policy\": \"FGD\", \"seed\": 42,"
                + " \"arrival_pct\": 100, \"gpu_allocation_pct\": [0-9.]+\\}");
    assertThat(lines.get(2))
        .startsWith(
            "{\"workload\": \"synthetic\", \"policy\": \"FGD\", \"seed\": \"mean\","
                + " \"arrival_pct\": 100, \"gpu_allocation_pct\": ");
    assertThat(lines.get(2)).contains("\"published_pct\": 6.00").contains("\"decision_us_p99\": ");
    assertThat(lines.get(5)).contains("\"seed\": \"mean\", \"arrival_pct\": 130");
    ObjectMapper mapper = new ObjectMapper();
    for (String line : lines) {
      JsonNode node = mapper.readTree(line);
      assertThat(node.get("gpu_allocation_pct").isNumber()).as(line).isTrue();
      assertThat(node.get("arrival_pct").asInt()).as(line).isIn(100, 130);
    }
    assertThat(mapper.readTree(lines.get(2)).get("seed").asText()).isEqualTo("mean");
  }

  @Test
  void replaysWithTheInverseTieOrderAndRefusesAnUnknownOne() throws Exception {
    Path trace = syntheticTrace();
    String[] common = {
      "--nodes", trace.resolve("nodes.csv").toString(),
      "--pods", trace.resolve("synthetic.csv").toString(),
      "--policy", "GpuPacking",
      "--seeds", "1",
      "--arrival", "100",
      "--format", "json"
    };

    String inverse = run(concat(common, "--tie-order", "inverse"));
    assertThat(inverse.lines()).hasSize(2);
    assertThat(inverse).contains("\"policy\": \"GpuPacking\"");

    ByteArrayOutputStream ignored = new ByteArrayOutputStream();
    CommandLine cli =
        new CommandLine(new TraceBenchmark(new PrintStream(ignored, true, StandardCharsets.UTF_8)));
    cli.setErr(new java.io.PrintWriter(new ByteArrayOutputStream(), true));
    assertThat(cli.execute(concat(common, "--tie-order", "sorted"))).isNotZero();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void plotsEveryPolicyToAPngOfTheExpectedSize() throws Exception {
    Path trace = syntheticTrace();
    Path png = dir.resolve("curve.png");

    String table =
        run(
            "--nodes", trace.resolve("nodes.csv").toString(),
            "--pods", trace.resolve("synthetic.csv").toString(),
            "--policy", "FGD,BestFit",
            "--seeds", "1-2",
            "--plot", png.toString());

    assertThat(table).contains("mean us").contains("p99 us");
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(AllocationPlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(AllocationPlot.HEIGHT);
  }

  @Test
  void meanCurveSkipsSeedsThatNeverReachedAPoint() {
    double[] a = new double[TraceBenchmark.PLOT_MAX_ARRIVAL + 1];
    double[] b = new double[TraceBenchmark.PLOT_MAX_ARRIVAL + 1];
    java.util.Arrays.fill(a, 10);
    java.util.Arrays.fill(b, 20);
    b[130] = Double.NaN;
    a[129] = Double.NaN;
    b[129] = Double.NaN;

    double[] mean = TraceBenchmark.meanCurve(List.of(a, b));

    assertThat(mean[0]).isEqualTo(15);
    assertThat(mean[130]).isEqualTo(10);
    assertThat(mean[129]).isNaN();
  }

  @Test
  void decisionTimeHasMeanAndP99() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = (i + 1) * 1000L;
    }

    TraceBenchmark.DecisionTime t = TraceBenchmark.DecisionTime.of(List.of(nanos));

    assertThat(t.meanMicros()).isEqualTo(50.5);
    assertThat(t.p99Micros()).isEqualTo(99.0);
    assertThat(t.decisions()).isEqualTo(100);
  }

  @Test
  void topologyVariantReportsGangsWithinOneSwitch() throws Exception {
    Path trace = syntheticTrace();

    String table =
        run(
            "--nodes",
            trace.resolve("nodes.csv").toString(),
            "--pods",
            trace.resolve("synthetic.csv").toString(),
            "--policy",
            "FGD,StrataTopology",
            "--seeds",
            "1-2",
            "--topology");

    assertThat(table).contains("in one switch").doesNotContain("mean us");
    assertThat(table.lines().filter(l -> l.startsWith("  StrataTopology"))).hasSize(1);
  }

  @Test
  void seedRangesAndListsParse() {
    assertThat(TraceBenchmark.parseSeeds("42-44,50")).containsExactly(42L, 43L, 44L, 50L);
  }
}
