package dev.strata.scheduler.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StandaloneMainTest {

  @TempDir Path dir;

  @Test
  void badQuotaConfigOrPolicyStopsTheStartWithTheReason() throws Exception {
    Path quotas = Files.writeString(dir.resolve("quotas.yaml"), "team-a: -1\n");
    PrintStream err = System.err;
    var captured = new java.io.ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      assertThat(new CommandLine(new StandaloneMain()).execute("--quota-config", quotas.toString()))
          .isEqualTo(2);
      assertThat(new CommandLine(new StandaloneMain()).execute("--policy", "Nope")).isEqualTo(2);
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString())
        .contains("quota of tenant team-a must be a whole number")
        .contains("unknown policy Nope");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    dev.strata.scheduler.kube.DurationFlag c = new dev.strata.scheduler.kube.DurationFlag();
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.convert("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
  }
}
