package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.kube.TenantQuotas;
import dev.strata.scheduler.kube.Translation;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata-scheduler}: the standalone scheduler against the current kubeconfig. */
@Command(
    name = "strata-scheduler",
    mixinStandardHelpOptions = true,
    description = "Schedules pods with spec.schedulerName strata-scheduler: gangs, tiers, quotas.")
public final class StandaloneMain implements Callable<Integer> {

  @Option(
      names = "--scheduler-name",
      defaultValue = KubeKeys.SCHEDULER_NAME,
      description = "Pods with this spec.schedulerName are scheduled (default: ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(
      names = "--policy",
      defaultValue = Policies.DEFAULT,
      description =
          "Scoring policy, e.g. StrataCpuAware, FGD, BestFit (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--quota-config",
      description =
          "Tenant HIGH quotas: a YAML file (tenant: gpus, or tenant: {gpus: N, models: {V100: M}}),"
              + " or configmap:<namespace>/<name> with one data key per tenant. Default: none.")
  String quotaConfig;

  @Option(
      names = "--gang-timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "After this long a gang short of members is reported on its pods (default: ${DEFAULT-VALUE}).")
  Duration gangTimeout;

  @Option(
      names = "--resync",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Informer resync period (default: ${DEFAULT-VALUE}).")
  Duration resync;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StandaloneMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    KubernetesClient client =
        new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory()).build();
    Translation<List<TenantQuota>> quotas = readQuotas(client, quotaConfig);
    if (!quotas.isOk()) {
      System.err.println(quotas.reason());
      client.close();
      return 2;
    }
    StandaloneConfig config;
    try {
      config =
          new StandaloneConfig(
              schedulerName, policy, quotas.value(), gangTimeout, resync, Duration.ofSeconds(1));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      client.close();
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    StandaloneScheduler scheduler = new StandaloneScheduler(client, config);
    scheduler.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  scheduler.close();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  static Translation<List<TenantQuota>> readQuotas(KubernetesClient client, String source) {
    if (source == null || source.isBlank()) {
      return Translation.ok(List.of());
    }
    if (source.startsWith("configmap:")) {
      String[] ref = source.substring("configmap:".length()).split("/", 2);
      if (ref.length != 2) {
        return Translation.rejected("--quota-config configmap:<namespace>/<name>, not " + source);
      }
      ConfigMap cm = client.configMaps().inNamespace(ref[0]).withName(ref[1]).get();
      if (cm == null) {
        return Translation.rejected("quota ConfigMap " + ref[0] + "/" + ref[1] + " not found");
      }
      return TenantQuotas.fromConfigMap(cm);
    }
    try {
      return TenantQuotas.fromYaml(Files.readString(Path.of(source)));
    } catch (IOException e) {
      return Translation.rejected("cannot read quota config " + source + ": " + e.getMessage());
    }
  }

  /** {@code 90s}, {@code 2m}, {@code 1h}, a number of seconds, or ISO-8601 ({@code PT90S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(value.trim());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      char unit = v.charAt(v.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new CommandLine.TypeConversionException("not a duration: " + value);
      };
    }
  }
}
