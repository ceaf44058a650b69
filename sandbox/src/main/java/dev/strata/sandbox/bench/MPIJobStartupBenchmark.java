package dev.strata.sandbox.bench;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.OperatorOptions;
import dev.strata.operators.StrataOperator;
import dev.strata.operators.mpijob.model.MPIJobModel;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.util.stream.IntStream;

/**
 * Start-up throughput of the MPIJob controller: N MPIJobs of W workers submitted at once to a CRUD
 * mock API server, timed until every worker pod and every launcher Job exists, with the operator's
 * API requests counted by verb (the submitting client identifies itself by user agent and is not
 * counted).
 *
 * <p>Side by side in the same run, on a fresh server each: the floor, where the benchmark client
 * itself creates the very objects the operator would (same count, same threads), which is as fast
 * as this API server can take them; then the operator. Their ratio is the operator's overhead. A
 * small warm-up run comes first so that neither pays for the JIT.
 *
 * <p>Usage: {@code MPIJobStartupBenchmark [jobs=200] [workers=8] [threads=16]}
 */
public final class MPIJobStartupBenchmark {
  private static final String BENCH_AGENT = "strata-bench";
  private static final String NS = "bench";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    // The mock web server logs every request through java.util.logging; that is not an API
    // server's cost.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);

    runOperator(Math.min(jobs, 20), workers, threads);
    runFloor(Math.min(jobs, 20), workers, threads);
    double floor = runFloor(jobs, workers, threads).seconds();
    Run run = runOperator(jobs, workers, threads);

    int objectsPerJob = workers + 7; // Service, ConfigMap, Secret, SA, Role, RoleBinding, Job
    System.out.printf(
        "MPIJob start-up: %d jobs x %d workers, %d reconcile threads, CRUD mock API server%n",
        jobs, workers, threads);
    System.out.printf(
        "  floor: client creates the same %d objects itself  %6.2f s%n",
        jobs * objectsPerJob, floor);
    System.out.printf(
        "  operator: all pods and launchers exist            %6.2f s  (%.1f jobs/s, %.2fx floor)%n",
        run.seconds(), jobs / run.seconds(), run.seconds() / floor);
    RequestTally tally = run.tally();
    System.out.printf(
        "  operator requests per job %.2f, writes %.2f (objects per job %d + status writes)%n",
        tally.total() / (double) jobs, tally.writes() / (double) jobs, objectsPerJob);
    tally
        .byVerb()
        .forEach((verb, n) -> System.out.printf("    %-8s %6.2f%n", verb, n / (double) jobs));
    System.out.println("  per job, by verb and resource:");
    tally
        .byVerbAndResource()
        .forEach((key, n) -> System.out.printf("    %-30s %6.2f%n", key, n / (double) jobs));
  }

  record Run(double seconds, RequestTally tally) {}

  /** The operator turns submitted MPIJobs into their objects. */
  private static Run runOperator(int jobs, int workers, int threads) throws Exception {
    KubernetesMockServer server = newServer();
    Config base = server.createClient().getConfiguration();
    KubernetesClient operatorClient = client(base, "strata-operator");
    KubernetesClient benchClient = client(base, BENCH_AGENT);
    StrataOperator operator =
        StrataOperator.start(
            operatorClient,
            new OperatorOptions(Set.of(OperatorOptions.MPIJOB), Set.of(), true, threads));
    Arrivals arrivals = new Arrivals(benchClient);
    drain(server, new RequestTally()); // informer start-up is not the jobs' cost

    long start = System.nanoTime();
    parallel(jobs, 8, i -> benchClient.resource(job("job-" + i, workers)).create());
    arrivals.await(jobs * workers, jobs, start);
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
  private static Run runFloor(int jobs, int workers, int threads) throws Exception {
    KubernetesMockServer server = newServer();
    KubernetesClient benchClient = client(server.createClient().getConfiguration(), BENCH_AGENT);
    Arrivals arrivals = new Arrivals(benchClient);
    long start = System.nanoTime();
    List<HasMetadata> objects = new ArrayList<>();
    parallel(
        jobs,
        8,
        i -> {
          MPIJob created = benchClient.resource(job("job-" + i, workers)).create();
          MPIJobModel model = MPIJobModel.fromCrd(created, true);
          List<HasMetadata> mine = new ArrayList<>();
          mine.add(model.service());
          mine.add(model.configMap(List.of()));
          mine.add(model.sshSecret(SshKeyPairGenerator.generate()));
          mine.add(model.launcherServiceAccount());
          mine.add(model.launcherRole());
          mine.add(model.launcherRoleBinding());
          IntStream.range(0, workers).forEach(w -> mine.add(model.worker(w)));
          mine.add(model.launcherJob(false));
          synchronized (objects) {
            objects.addAll(mine);
          }
        });
    parallel(objects.size(), threads, i -> benchClient.resource(objects.get(i)).create());
    arrivals.await(jobs * workers, jobs, start);
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

  private static void parallel(int count, int threads, java.util.function.IntConsumer task)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    IntStream.range(0, count).forEach(i -> pool.submit(() -> task.accept(i)));
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
  }

  /**
   * Counts pods and Jobs as their watch events arrive: polling lists of thousands of pods would
   * load the server more than the operator does.
   */
  private static final class Arrivals {
    final AtomicInteger pods = new AtomicInteger();
    final AtomicInteger launchers = new AtomicInteger();

    Arrivals(KubernetesClient client) {
      client.pods().inNamespace(NS).inform(counting(pods));
      client.batch().v1().jobs().inNamespace(NS).inform(counting(launchers));
    }

    void await(int expectedPods, int expectedLaunchers, long start) throws InterruptedException {
      while (pods.get() < expectedPods || launchers.get() < expectedLaunchers) {
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
          System.out.printf(
              "timed out: %d/%d pods, %d/%d launchers%n",
              pods.get(), expectedPods, launchers.get(), expectedLaunchers);
          return;
        }
        Thread.sleep(5);
      }
    }
  }

  private static <T> ResourceEventHandler<T> counting(AtomicInteger counter) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        counter.incrementAndGet();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {}

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        counter.decrementAndGet();
      }
    };
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

  private static MPIJob job(String name, int workers) {
    return YAML.unmarshal(
        """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        metadata: {name: %s, namespace: %s}
        spec:
          slotsPerWorker: 8
          mpiReplicaSpecs:
            Launcher:
              replicas: 1
              template: {spec: {containers: [{name: launcher, image: horovod, command: [mpirun, python, train.py]}]}}
            Worker:
              replicas: %d
              template:
                spec:
                  containers:
                  - name: worker
                    image: horovod
                    resources: {limits: {nvidia.com/gpu: 8}}
        """
            .formatted(name, NS, workers),
        MPIJob.class);
  }
}
