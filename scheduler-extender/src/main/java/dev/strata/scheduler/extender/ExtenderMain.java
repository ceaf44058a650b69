package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.ScoringPolicy;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.LeaderElectionOptions;
import dev.strata.scheduler.kube.Leadership;
import dev.strata.scheduler.kube.TenantQuotas;
import dev.strata.scheduler.kube.Translation;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin LeaderElectionOptions leaderElection = new LeaderElectionOptions();

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
      CountDownLatch stop = new CountDownLatch(1);
      AtomicInteger exitCode = new AtomicInteger();
      Replica replica;
      try {
        replica =
            start(
                client,
                scoring,
                quotas,
                () -> {
                  // As kube-scheduler does: a replica that lost the lead exits; its restart
                  // rejoins as a follower, with no plans of the old term.
                  exitCode.set(1);
                  stop.countDown();
                });
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      try (replica) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
      return exitCode.get();
    }
  }

  /** One running extender: informers, the periodic reading, the Lease and the HTTP server. */
  static final class Replica implements AutoCloseable {
    final ExtenderServer server;
    private final List<AutoCloseable> parts;

    private Replica(ExtenderServer server, List<AutoCloseable> parts) {
      this.server = server;
      this.parts = parts;
    }

    @Override
    public void close() {
      for (int i = parts.size() - 1; i >= 0; i--) {
        try {
          parts.get(i).close();
        } catch (Exception e) {
          System.err.println("stopping failed: " + e.getMessage());
        }
      }
    }
  }

  /**
   * Starts a replica. Every replica keeps its cache warm; with leader election only the Lease
   * holder serves the verbs and reports ready, and {@code lostLead} runs when it stops holding it.
   */
  Replica start(
      KubernetesClient client, ScoringPolicy scoring, List<TenantQuota> quotas, Runnable lostLead)
      throws IOException {
    List<AutoCloseable> parts = new ArrayList<>();
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
    parts.add(refresher::shutdownNow);
    long every = ExtenderService.REFRESH_INTERVAL.toSeconds();
    refresher.scheduleWithFixedDelay(service::refresh, every, every, TimeUnit.SECONDS);
    try {
      parts.add(ViewInformers.start(client, view));
      ExtenderServer server = new ExtenderServer(service, host, port, threads, version());
      parts.add(server);
      if (leaderElection.enabled) {
        Leadership leadership =
            leaderElection.start(client, "strata-scheduler-extender", () -> {}, lostLead);
        parts.add(leadership);
        server.leadingWhen(leadership::isLeader);
      }
      server.start();
      return new Replica(server, parts);
    } catch (IOException | RuntimeException e) {
      new Replica(null, parts).close();
      throw e;
    }
  }

  static String version() {
    String v = ExtenderMain.class.getPackage().getImplementationVersion();
    return "strata-scheduler-extender " + (v == null ? "dev" : v);
  }
}
