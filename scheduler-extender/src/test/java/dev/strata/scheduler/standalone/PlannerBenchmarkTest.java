package dev.strata.scheduler.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlannerBenchmarkTest {

  @Test
  void decidesEveryPendingPodOfTheBurstAndPrintsThePassTime() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit =
        new CommandLine(new PlannerBenchmark(out))
            .execute("--nodes", "40", "--pending", "80", "--passes", "1", "--warmup", "0");

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).isZero();
    assertThat(text).contains("40 nodes", "80 pending pods (16 of them in 2 gangs of 8 x 8 GPUs)");
    Matcher counts =
        Pattern.compile(
                "pods to bind (\\d+), to place after preemption (\\d+), reported pending (\\d+)")
            .matcher(text);
    assertThat(counts.find()).as(text).isTrue();
    int bound = Integer.parseInt(counts.group(1));
    int reported = Integer.parseInt(counts.group(3));
    // Every pod of the burst is decided: bound, or reported with its reason.
    assertThat(bound).isPositive();
    assertThat(bound + Integer.parseInt(counts.group(2)) + reported).isEqualTo(80);
    assertThat(text).containsPattern("pass p50 [0-9.]+ ms .* pending pods decided/s");
  }
}
