package dev.strata.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.sandbox.Kubeconfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written kubeconfig as the real kubectl reads it. */
class KubeconfigsTest {
  @TempDir Path dir;

  static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  static boolean kubectlInstalled() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void kubectlSeesATenantContextPerTenantAndTheComputeContext() throws Exception {
    assumeTrue(kubectlInstalled(), "kubectl is not installed");
    Map<String, String> servers = new LinkedHashMap<>();
    servers.put("tenant-team-a", "http://127.0.0.1:40001");
    servers.put("tenant-team-b", "http://127.0.0.1:40002");
    servers.put("compute", "https://127.0.0.1:40003");
    Path file = dir.resolve("nested/kubeconfig");

    Kubeconfigs.write(file, servers);

    String contexts =
        kubectl("--kubeconfig", file.toString(), "config", "get-contexts", "-o", "name");
    assertThat(contexts.lines())
        .containsExactlyInAnyOrder("tenant-team-a", "tenant-team-b", "compute");
    assertThat(kubectl("--kubeconfig", file.toString(), "config", "current-context").trim())
        .isEqualTo("tenant-team-a");
    assertThat(
            kubectl(
                "--kubeconfig",
                file.toString(),
                "config",
                "view",
                "--context",
                "compute",
                "--minify",
                "-o",
                "jsonpath={.clusters[0].cluster.server} {.clusters[0].cluster.insecure-skip-tls-verify}"))
        .isEqualTo("https://127.0.0.1:40003 true");
    assertThat(
            kubectl(
                "--kubeconfig",
                file.toString(),
                "config",
                "view",
                "--context",
                "tenant-team-b",
                "--minify",
                "-o",
                "jsonpath={.clusters[0].cluster.server} {.contexts[0].context.namespace}"))
        .isEqualTo("http://127.0.0.1:40002 default");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void writingAgainReplacesTheFileWhole() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Kubeconfigs.write(
        file, Map.of("tenant-a", "http://127.0.0.1:1", "compute", "http://127.0.0.1:2"));
    Kubeconfigs.write(file, Map.of("compute", "http://127.0.0.1:3"));

    String text = Files.readString(file);
    assertThat(text).contains("http://127.0.0.1:3").doesNotContain("tenant-a");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
