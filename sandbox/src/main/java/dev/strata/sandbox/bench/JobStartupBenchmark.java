package dev.strata.sandbox.bench;

import dev.strata.operators.OperatorOptions;
import dev.strata.operators.StrataOperator;
import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Start-up throughput of a job controller: N jobs submitted at once to a CRUD mock API server,
 * timed until every object they imply exists (seen through watch events), with the operator's API
 * requests counted at the server by verb (the submitting client identifies itself by user agent and
 * is not counted).
 *
 * <p>Side by side in the same run, on a fresh server each: the floor, where the benchmark client
 * itself creates the very objects the operator would (same model code, same count, same threads),
 * which is as fast as this API server takes them; then the operator. Their ratio is the operator's
 * overhead. A small warm-up of both comes first so that neither pays for the JIT.
 *
 * <p>Usage: {@code JobStartupBenchmark mpijob|tfjob [jobs=200] [workers=8] [threads=16]}
 */
public final class JobStartupBenchmark {
  private static final String BENCH_AGENT = "strata-bench";
  private static final String NS = "bench";

  private final StartupWorkload workload;
  private final int threads;

  private JobStartupBenchmark(StartupWorkload workload, int threads) {
    this.workload = workload;
    this.threads = threads;
  }

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "mpijob";
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    StartupWorkload workload =
        switch (kind) {
          case "mpijob" -> new MPIJobWorkload(workers);
          case "tfjob" -> new TFJobWorkload(workers);
          default -> throw new IllegalArgumentException("unknown job kind " + kind);
        };
    // The mock web server logs every request through java.util.logging; that is not an API
    // server's cost.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    new JobStartupBenchmark(workload, threads).run(jobs);
  }

  private void run(int jobs) throws Exception {
    int warmUp = Math.min(jobs, 20);
    runOperator(warmUp);
    runFloor(warmUp);
    double floor = runFloor(jobs).seconds();
    Run run = runOperator(jobs);

    int objects = workload.objectsPerJob();
    System.out.printf(
        "%s start-up: %d jobs, %d reconcile threads, CRUD mock API server%n",
        workload.kind(), jobs, threads);
    System.out.printf(
        "  floor: client creates the same %d objects itself  %6.2f s%n",
        jobs * (objects + 1), floor);
    System.out.printf(
        "  operator: every object of every job exists        %6.2f s  (%.1f jobs/s, %.2fx floor)%n",
        run.seconds(), jobs / run.seconds(), run.seconds() / floor);
    RequestTally tally = run.tally();
    System.out.printf(
        "  operator requests per job %.2f, writes %.2f (objects per job %d + status writes)%n",
        tally.total() / (double) jobs, tally.writes() / (double) jobs, objects);
    tally
        .byVerb()
        .forEach((verb, n) -> System.out.printf("    %-8s %6.2f%n", verb, n / (double) jobs));
    System.out.println("  per job, by verb and resource:");
    tally
        .byVerbAndResource()
        .forEach((key, n) -> System.out.printf("    %-30s %6.2f%n", key, n / (double) jobs));
  }

  record Run(double seconds, RequestTally tally) {}

  /** The operator turns the submitted jobs into their objects. */
  private Run runOperator(int jobs) throws Exception {
    KubernetesMockServer server = newServer();
    Config base = server.createClient().getConfiguration();
    KubernetesClient operatorClient = client(base, "strata-operator");
    KubernetesClient benchClient = client(base, BENCH_AGENT);
    StrataOperator operator =
        StrataOperator.start(
            operatorClient,
            new OperatorOptions(
                Set.of(workload.controller()), Set.of(), JobPodPolicy.platform(), threads));
    Arrivals arrivals = new Arrivals(benchClient);
    drain(server, new RequestTally()); // informer start-up is not the jobs' cost

    long start = System.nanoTime();
    parallel(jobs, 8, i -> benchClient.resource(workload.job(NS, "job-" + i)).create());
    arrivals.await(jobs, start);
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(2000); // the status writes that follow the objects, before counting

    RequestTally tally = new RequestTally();
    drain(server, tally);
    operator.close();
    operatorClient.close();
    benchClient.close();
    server.destroy();
    return new Run(seconds, tally);
  }

  /** The benchmark client creates what the operator would, as fast as the server takes it. */
  private Run runFloor(int jobs) throws Exception {
    KubernetesMockServer server = newServer();
    KubernetesClient benchClient = client(server.createClient().getConfiguration(), BENCH_AGENT);
    Arrivals arrivals = new Arrivals(benchClient);
    long start = System.nanoTime();
    List<HasMetadata> objects = new ArrayList<>();
    parallel(
        jobs,
        8,
        i -> {
          HasMetadata stored = benchClient.resource(workload.job(NS, "job-" + i)).create();
          List<HasMetadata> mine = workload.objectsOf(stored);
          synchronized (objects) {
            objects.addAll(mine);
          }
        });
    parallel(objects.size(), threads, i -> benchClient.resource(objects.get(i)).create());
    arrivals.await(jobs, start);
    double seconds = (System.nanoTime() - start) / 1e9;
    benchClient.close();
    server.destroy();
    return new Run(seconds, new RequestTally());
  }

  private static KubernetesMockServer newServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server;
  }

  private static void parallel(int count, int threads, IntConsumer task)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    IntStream.range(0, count).forEach(i -> pool.submit(() -> task.accept(i)));
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
  }

  /**
   * Counts pods and the workload's other marker objects as their watch events arrive: polling lists
   * of thousands of pods would load the server more than the operator does.
   */
  private final class Arrivals {
    final AtomicInteger pods = new AtomicInteger();
    final AtomicInteger others = new AtomicInteger();

    Arrivals(KubernetesClient client) {
      client.pods().inNamespace(NS).inform(new CountingHandler<>(pods));
      workload.informOther(client, NS, others);
    }

    void await(int jobs, long start) throws InterruptedException {
      int wantPods = jobs * workload.podsPerJob();
      int wantOthers = jobs * workload.otherPerJob();
      while (pods.get() < wantPods || others.get() < wantOthers) {
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
          System.out.printf(
              "timed out: %d/%d pods, %d/%d others%n",
              pods.get(), wantPods, others.get(), wantOthers);
          return;
        }
        Thread.sleep(5);
      }
    }
  }

  private static KubernetesClient client(Config base, String agent) {
    Config config = new ConfigBuilder(base).withUserAgent(agent).build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new VertxHttpClientFactory())
        .build();
  }

  /** Counts the operator's recorded requests, dropping the benchmark client's own. */
  private static void drain(KubernetesMockServer server, RequestTally tally)
      throws InterruptedException {
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!BENCH_AGENT.equals(request.getHeader("User-Agent"))) {
        tally.add(request);
      }
    }
  }
}
