package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line refuses bad input with a reason before it connects to anything. */
class ExtenderMainTest {

  @Test
  void aBadQuotaConfigStopsTheExtenderWithItsReason(@TempDir Path dir) throws Exception {
    Path quotas = dir.resolve("quotas.yaml");
    Files.writeString(quotas, "team-a: -3\n");
    var err = new java.io.ByteArrayOutputStream();
    var old = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    int code;
    try {
      code = new CommandLine(new ExtenderMain()).execute("--quota-config", quotas.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("quota of tenant team-a must be a whole number of GPUs");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ExtenderMain()).setErr(new PrintWriter(err));
    assertThat(cli.execute("--prot", "8888")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown options: '--prot'");
  }

  @Test
  void anUnknownPolicyStopsTheExtenderWithTheKnownNames() {
    var err = new java.io.ByteArrayOutputStream();
    var old = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    int code;
    try {
      code = new CommandLine(new ExtenderMain()).execute("--policy", "Fastest");
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown policy Fastest; known: ");
  }
}
