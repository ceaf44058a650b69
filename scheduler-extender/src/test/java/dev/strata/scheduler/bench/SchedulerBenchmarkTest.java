package dev.strata.scheduler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark command runs and reports what it measured; its figures are not asserted. */
class SchedulerBenchmarkTest {

  @Test
  void printsSinglePodAndGangFiguresForEachPolicyWithAndWithoutTopology() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit =
        new CommandLine(new SchedulerBenchmark(out))
            .execute(
                "--nodes",
                "256",
                "--runs",
                "1",
                "--warmup",
                "0",
                "--gang-members",
                "16",
                "--gang-trials",
                "3",
                "--nodes-per-rack",
                "8",
                "--racks-per-switch",
                "4");

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).isZero();
    assertThat(
            text.lines().filter(l -> l.matches("^(StrataCpuAware|BestFit) +(on|off) +Placer .*")))
        .hasSize(4)
        .allMatch(l -> l.contains(" 90.")); // filled to 90 % of GPUs
    assertThat(
            text.lines()
                .filter(l -> l.matches("^(StrataCpuAware|BestFit) +(on|off) +Scheduler .*")))
        .hasSize(4);
    // 16 pods of 8 GPUs fill 16 nodes: one switch of 32 nodes holds them on an empty cluster.
    assertThat(text.lines().filter(l -> l.matches("^\\w+ +on +empty .*")))
        .hasSize(2)
        .allMatch(l -> l.endsWith("placed on 16 nodes, 1 switch(es), 2 racks"));
  }
}
