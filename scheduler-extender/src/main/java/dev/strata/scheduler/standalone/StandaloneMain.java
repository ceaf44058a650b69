package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.DurationFlag;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.kube.LeaderElectionOptions;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      converter = DurationFlag.class,
      description =
          "After this long a gang short of members is reported on its pods (default: ${DEFAULT-VALUE}).")
  Duration gangTimeout;

  @Option(
      names = "--resync",
      defaultValue = "5m",
      converter = DurationFlag.class,
      description = "Informer resync period (default: ${DEFAULT-VALUE}).")
  Duration resync;

  @Mixin LeaderElectionOptions leaderElection = new LeaderElectionOptions();

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
    if (!leaderElection.enabled) {
      scheduler.start();
      return scheduler::close;
    }
    Leadership leadership =
        leaderElection.start(
            client,
            "strata-scheduler",
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
}
