package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.ScoringPolicy;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.TenantQuotas;
import dev.strata.scheduler.kube.Translation;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the kube-scheduler extender: informers on Nodes and Pods feed the cache, the HTTP server
 * answers kube-scheduler. The API server is found as kubectl finds it (KUBECONFIG, ~/.kube/config
 * or the in-cluster service account).
 */
@Command(
    name = "strata-scheduler-extender",
    mixinStandardHelpOptions = true,
    description =
        "Strata's GPU scheduler as a kube-scheduler extender (filter, prioritize, bind, preempt).")
public final class ExtenderMain implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "8888",
      description = "HTTP port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on.")
  String host;

  @Option(
      names = "--policy",
      defaultValue = Policies.DEFAULT,
      description = "Scoring policy (default ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--quota-config", description = "YAML file of tenants' HIGH-tier GPU quotas.")
  Path quotaConfig;

  @Option(names = "--threads", defaultValue = "4", description = "HTTP worker threads.")
  int threads;

  @Option(
      names = "--plan-ttl",
      defaultValue = "PT30S",
      description = "How long an unbound gang plan holds its GPUs (ISO-8601).")
  Duration planTtl;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ExtenderMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<TenantQuota> quotas = List.of();
    if (quotaConfig != null) {
      Translation<List<TenantQuota>> read = TenantQuotas.fromYaml(Files.readString(quotaConfig));
      if (!read.isOk()) {
        System.err.println(quotaConfig + ": " + read.reason());
        return 2;
      }
      quotas = read.value();
    }
    ScoringPolicy scoring;
    try {
      scoring = Policies.create(policy, List.of());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    try (KubernetesClient client =
        new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory()).build()) {
      ClusterView view = new ClusterView();
      ExtenderService service =
          new ExtenderService(
              view, scoring, quotas, new KubernetesPodBinder(client), Clock.systemUTC(), planTtl);
      ScheduledExecutorService refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "strata-extender-refresh");
                t.setDaemon(true);
                return t;
              });
      long every = ExtenderService.REFRESH_INTERVAL.toSeconds();
      refresher.scheduleWithFixedDelay(service::refresh, every, every, TimeUnit.SECONDS);
      try (ViewInformers informers = ViewInformers.start(client, view);
          ExtenderServer server =
              new ExtenderServer(service, host, port, threads, version()).start()) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      } finally {
        refresher.shutdownNow();
      }
    }
    return 0;
  }

  static String version() {
    String v = ExtenderMain.class.getPackage().getImplementationVersion();
    return "strata-scheduler-extender " + (v == null ? "dev" : v);
  }
}
