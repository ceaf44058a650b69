package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The extender's latency figures hold for the JVM options it is deployed with: the Deployment's
 * {@code JDK_JAVA_OPTIONS} and the options {@code bin/strata-bench extender} measures with are the
 * same, and the heap fits in the container's memory request.
 */
class ExtenderJvmOptionsTest {

  @Test
  void theBenchmarkMeasuresWithTheDeployedJvmOptions() throws Exception {
    Path deploy = DeployManifestsTest.deployDir();
    String text = Files.readString(deploy.resolve("strata-scheduler-extender.yaml"));
    Deployment deployment = null;
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        HasMetadata object = new KubernetesSerialization().unmarshal(doc);
        if (object instanceof Deployment d) {
          deployment = d;
        }
      }
    }
    assertThat(deployment).isNotNull();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> deployed =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
            .map(EnvVar::getValue)
            .map(v -> Arrays.asList(v.trim().split("\\s+")))
            .findFirst()
            .orElseThrow();
    assertThat(deployed).contains("-XX:+UseSerialGC");

    String bench = Files.readString(deploy.getParent().getParent().resolve("bin/strata-bench"));
    Matcher m = Pattern.compile("ExtenderBenchmark\\s*\\n\\s*jvm=\\(([^)]*)\\)").matcher(bench);
    assertThat(m.find()).as("bin/strata-bench sets jvm=(...) for the extender").isTrue();
    assertThat(Arrays.asList(m.group(1).trim().split("\\s+"))).isEqualTo(deployed);

    long heap =
        deployed.stream()
            .filter(o -> o.startsWith("-Xmx"))
            .map(o -> o.substring(4))
            .mapToLong(ExtenderJvmOptionsTest::bytes)
            .findFirst()
            .orElseThrow();
    long request =
        container.getResources().getRequests().get("memory").getNumericalAmount().longValue();
    assertThat(heap)
        .as("heap under the memory request, with room for the rest")
        .isLessThan(request);
  }

  private static long bytes(String size) {
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    long n = Long.parseLong(size.substring(0, size.length() - 1));
    return switch (unit) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> Long.parseLong(size);
    };
  }
}
