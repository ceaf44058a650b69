package dev.strata.sandbox.bench;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.OperatorOptions;
import dev.strata.operators.StrataOperator;
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
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Start-up throughput of the MPIJob controller: N MPIJobs of W workers submitted at once to a CRUD
 * mock API server, timed until every worker pod and every launcher Job exists, with the operator's
 * API requests counted by verb. The submitting client identifies itself by user agent so that only
 * the operator's requests are counted.
 *
 * <p>Usage: {@code MPIJobStartupBenchmark [jobs=200] [workers=8] [threads=16]}
 */
public final class MPIJobStartupBenchmark {
  private static final String BENCH_AGENT = "strata-bench";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    // The mock web server logs every request through java.util.logging: quiet it, it is not the
    // API server's cost.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);

    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    Config base = server.createClient().getConfiguration();
    KubernetesClient operatorClient = client(base, "strata-operator");
    KubernetesClient benchClient = client(base, BENCH_AGENT);
    StrataOperator operator =
        StrataOperator.start(
            operatorClient,
            new OperatorOptions(Set.of(OperatorOptions.MPIJOB), Set.of(), true, threads));
    drain(server, new RequestTally()); // informer start-up is not the jobs' cost

    String ns = "bench";
    // Count arrivals from watch events: polling lists of thousands of pods would load the mock
    // server more than the operator does.
    AtomicInteger pods = new AtomicInteger();
    AtomicInteger launchers = new AtomicInteger();
    benchClient.pods().inNamespace(ns).inform(counting(pods));
    benchClient.batch().v1().jobs().inNamespace(ns).inform(counting(launchers));
    drain(server, new RequestTally());
    long start = System.nanoTime();
    ExecutorService submitters = Executors.newFixedThreadPool(8);
    IntStream.range(0, jobs)
        .forEach(
            i ->
                submitters.submit(
                    () -> benchClient.resource(job(ns, "job-" + i, workers)).create()));
    submitters.shutdown();
    submitters.awaitTermination(5, TimeUnit.MINUTES);
    long submitted = System.nanoTime();

    int expectedPods = jobs * workers;
    while (pods.get() < expectedPods || launchers.get() < jobs) {
      if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
        System.out.printf(
            "timed out: %d/%d pods, %d/%d launchers%n",
            pods.get(), expectedPods, launchers.get(), jobs);
        break;
      }
      Thread.sleep(5);
    }
    long done = System.nanoTime();
    // Let the status writes that follow object creation land before counting.
    Thread.sleep(2000);

    RequestTally tally = new RequestTally();
    drain(server, tally);
    operator.close();
    operatorClient.close();
    benchClient.close();
    server.destroy();

    double seconds = (done - start) / 1e9;
    int objectsPerJob = workers + 7; // Service, ConfigMap, Secret, SA, Role, RoleBinding, Job
    System.out.printf(
        "MPIJob start-up: %d jobs x %d workers, %d reconcile threads%n", jobs, workers, threads);
    System.out.printf("  submitted in            %.2f s%n", (submitted - start) / 1e9);
    System.out.printf("  all pods and launchers  %.2f s  (%.1f jobs/s)%n", seconds, jobs / seconds);
    System.out.printf(
        "  operator requests/job   %.2f  (writes %.2f; objects created per job %d)%n",
        tally.total() / (double) jobs, tally.writes() / (double) jobs, objectsPerJob);
    tally
        .byVerb()
        .forEach((verb, n) -> System.out.printf("    %-8s %8.2f /job%n", verb, n / (double) jobs));
    System.out.println("  by verb and resource (per job):");
    tally
        .byVerbAndResource()
        .forEach((key, n) -> System.out.printf("    %-32s %8.2f%n", key, n / (double) jobs));
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

  private static MPIJob job(String ns, String name, int workers) {
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
            .formatted(name, ns, workers),
        MPIJob.class);
  }
}
