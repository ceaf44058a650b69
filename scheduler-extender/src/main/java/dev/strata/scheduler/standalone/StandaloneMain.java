package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.kube.Leadership;
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
import java.util.concurrent.atomic.AtomicInteger;
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

  @Option(
      names = "--leader-elect",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Schedule only while holding a Lease, so that several replicas can run and one schedules"
              + " (default: ${DEFAULT-VALUE}; --no-leader-elect for a single process).")
  boolean leaderElect;

  @Option(
      names = "--leader-elect-namespace",
      description = "Namespace of the Lease (default: $POD_NAMESPACE, else default).")
  String leaseNamespace;

  @Option(
      names = "--leader-elect-lease-name",
      defaultValue = "strata-scheduler",
      description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--leader-elect-lease-duration",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description = "How long a leader's Lease holds off the others (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(
      names = "--leader-elect-renew-deadline",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long the leader tries to renew before it stops (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(
      names = "--leader-elect-retry-period",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "How often replicas try to take or renew the Lease (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  /** This replica's name in the Lease. */
  String identity = Leadership.defaultIdentity();

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
    AtomicInteger exitCode = new AtomicInteger();
    AutoCloseable running;
    try {
      running =
          start(
              client,
              config,
              () -> {
                // Like kube-scheduler: a replica that lost the lead exits, and its restart rejoins
                // as a follower with fresh caches.
                exitCode.set(1);
                stopped.countDown();
              });
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      client.close();
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    stopped.await();
    try {
      running.close();
    } catch (Exception e) {
      System.err.println("stopping failed: " + e.getMessage());
    }
    client.close();
    return exitCode.get();
  }

  /**
   * Starts the scheduler, behind leader election unless it is off; {@code lostLead} runs when this
   * replica stops leading (the scheduler is closed by then). Closing the result stops everything
   * and gives the Lease up.
   */
  AutoCloseable start(KubernetesClient client, StandaloneConfig config, Runnable lostLead) {
    StandaloneScheduler scheduler = new StandaloneScheduler(client, config);
    if (!leaderElect) {
      scheduler.start();
      return scheduler::close;
    }
    Leadership.Timing timing = new Leadership.Timing(leaseDuration, renewDeadline, retryPeriod);
    String namespace = leaseNamespace;
    if (namespace == null || namespace.isBlank()) {
      String env = System.getenv("POD_NAMESPACE");
      namespace = env == null || env.isBlank() ? "default" : env;
    }
    Leadership leadership =
        Leadership.start(
            client,
            namespace,
            leaseName,
            identity,
            timing,
            scheduler::start,
            () -> {
              scheduler.close();
              lostLead.run();
            });
    return () -> {
      leadership.close();
      scheduler.close();
    };
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
