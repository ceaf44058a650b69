package dev.strata.virtualnode.bench;

import dev.strata.virtualnode.forward.ForwardingConfig;
import dev.strata.virtualnode.forward.PodForwarder;
import dev.strata.virtualnode.node.NodeController;
import dev.strata.virtualnode.node.NodeOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Forwarding throughput and latency: PODS tenant pods bound to the virtual node at once, a tenant
 * and a compute CRUD mock API server in this JVM, and a stand-in compute kubelet that reports every
 * compute pod Running as soon as it appears. Latencies are taken from watch events: bind (the
 * create request of a pod already bound) to compute pod created, and compute pod Running (its
 * status write) to tenant pod Running.
 *
 * <p>Usage: {@code ForwardingBenchmark [PODS=2000] [WORKERS=8] [RATE=0]}: RATE pods/s bound at an
 * even pace instead of all at once (0), so that latency is the forwarder's and not time queued
 * behind a burst.
 */
public final class ForwardingBenchmark {
  private static final String BENCH_AGENT = "strata-bench";
  private static final String NODE = "strata-compute";
  private static final String NS = "team";

  /** Held so that the level sticks: the mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    System.out.printf(
        "forwarding %d pods bound %s, %d forwarder workers, %d cores%n",
        pods,
        rate > 0 ? "at " + rate + " pods/s" : "at once",
        workers,
        Runtime.getRuntime().availableProcessors());
    run(200, workers, 0, false); // warm-up: the JIT, not the forwarder, would dominate a cold run
    if (rate == 0) {
      floor(200, false);
      floor(pods, true);
    }
    run(pods, workers, rate, true);
    System.exit(0);
  }

  private static void run(int pods, int workers, int rate, boolean report) throws Exception {
    KubernetesMockServer tenantServer = newServer();
    KubernetesMockServer computeServer = newServer();
    KubernetesClient tenant = client(tenantServer, "strata-virtual-node");
    KubernetesClient compute = client(computeServer, "strata-virtual-node");
    KubernetesClient benchTenant = client(tenantServer, BENCH_AGENT);
    KubernetesClient benchCompute = client(computeServer, BENCH_AGENT);

    Map<String, Long> bound = new ConcurrentHashMap<>();
    Map<String, Long> computeCreated = new ConcurrentHashMap<>();
    Map<String, Long> computeRunning = new ConcurrentHashMap<>();
    Map<String, Long> tenantRunning = new ConcurrentHashMap<>();
    ExecutorService kubelet = Executors.newFixedThreadPool(4);
    benchCompute
        .pods()
        .inAnyNamespace()
        .inform(
            onAdd(
                p -> {
                  String name = p.getMetadata().getName();
                  computeCreated.putIfAbsent(name, System.nanoTime());
                  kubelet.submit(() -> runPod(benchCompute, p, computeRunning));
                }));
    benchTenant
        .pods()
        .inNamespace(NS)
        .inform(
            onChange(
                p -> {
                  if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
                    tenantRunning.putIfAbsent(p.getMetadata().getName(), System.nanoTime());
                  }
                }));

    ForwardingConfig config =
        ForwardingConfig.defaults("acme", NODE)
            .withTiming(Duration.ofMinutes(5), Duration.ofMinutes(10))
            .withWorkers(workers);
    // The node half as the process runs it: its probe keeps the reachability forwarding reads.
    NodeController node =
        new NodeController(
                tenant,
                compute,
                NodeOptions.defaults("acme", NODE, "compute", "127.0.0.1", 10250),
                Clock.systemUTC())
            .start();
    PodForwarder forwarder = new PodForwarder(tenant, compute, config, node.reachability()).start();
    drain(tenantServer, null);
    drain(computeServer, null);

    ExecutorService submit = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    for (int i = 0; i < pods; i++) {
      String name = "job-worker-" + i;
      if (rate > 0) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      submit.submit(
          () -> {
            bound.put(name, System.nanoTime());
            benchTenant.pods().inNamespace(NS).resource(pod(name)).create();
          });
    }
    while (tenantRunning.size() < pods && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
      Thread.sleep(5);
    }
    long end = System.nanoTime();
    Thread.sleep(1000); // writes that trail the last Running, before counting
    Map<String, Integer> requests = new TreeMap<>();
    drain(tenantServer, requests);
    drain(computeServer, requests);

    if (report) {
      long lastCreated =
          computeCreated.values().stream().mapToLong(Long::longValue).max().orElse(end);
      double forwardSeconds = (lastCreated - start) / 1e9;
      double allSeconds = (end - start) / 1e9;
      System.out.printf(
          "compute pods created: %d/%d in %.2f s: %.0f pods/s forwarded%n",
          computeCreated.size(), pods, forwardSeconds, computeCreated.size() / forwardSeconds);
      System.out.printf(
          "tenant pods Running:  %d/%d in %.2f s: %.0f pods/s end to end%n",
          tenantRunning.size(), pods, allSeconds, tenantRunning.size() / allSeconds);
      printLatency("bind -> compute pod created", bound, computeCreated);
      printLatency("compute Running -> tenant Running", computeRunning, tenantRunning);
      System.out.println("forwarder API requests per pod (both clusters):");
      int total = requests.values().stream().mapToInt(Integer::intValue).sum();
      requests.forEach((k, n) -> System.out.printf("  %-34s %6.2f%n", k, n / (double) pods));
      System.out.printf("  %-34s %6.2f%n", "all", total / (double) pods);
    }
    forwarder.close();
    node.close();
    submit.shutdownNow();
    kubelet.shutdownNow();
    for (KubernetesClient c : new KubernetesClient[] {tenant, compute, benchTenant, benchCompute}) {
      c.close();
    }
    tenantServer.destroy();
    computeServer.destroy();
  }

  /**
   * The floor: the benchmark client itself makes the writes the forwarder and kubelet make per pod
   * (tenant create, compute create, tenant status Pending, compute status Running, tenant status
   * Running), 16 threads, no watches: as fast as these two servers take them.
   */
  private static void floor(int pods, boolean report) throws Exception {
    KubernetesMockServer tenantServer = newServer();
    KubernetesMockServer computeServer = newServer();
    KubernetesClient tenant = client(tenantServer, BENCH_AGENT);
    KubernetesClient compute = client(computeServer, BENCH_AGENT);
    dev.strata.virtualnode.forward.PodTranslator translator =
        new dev.strata.virtualnode.forward.PodTranslator(ForwardingConfig.defaults("acme", NODE));
    compute
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("acme-team")
                .endMetadata()
                .build())
        .create();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    for (int i = 0; i < pods; i++) {
      String name = "job-worker-" + i;
      pool.submit(
          () -> {
            Pod t = tenant.pods().inNamespace(NS).resource(pod(name)).create();
            Pod c = compute.resource(translator.toCompute(t)).create();
            t.setStatus(
                new PodStatusBuilder()
                    .withPhase("Pending")
                    .withStartTime(c.getMetadata().getCreationTimestamp())
                    .build());
            t = tenant.pods().inNamespace(NS).resource(t).updateStatus();
            c.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.1").build());
            compute.pods().inNamespace(c.getMetadata().getNamespace()).resource(c).updateStatus();
            t.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.1").build());
            tenant.pods().inNamespace(NS).resource(t).updateStatus();
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (report) {
      System.out.printf(
          "floor, the client's own 5 writes per pod: %d pods in %.2f s: %.0f pods/s%n",
          pods, seconds, pods / seconds);
    }
    tenant.close();
    compute.close();
    tenantServer.destroy();
    computeServer.destroy();
  }

  private static void runPod(KubernetesClient compute, Pod pod, Map<String, Long> running) {
    Pod copy = new PodBuilder(pod).build();
    copy.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("10.0.0.1")
            .withStartTime("2026-11-28T12:00:00Z")
            .build());
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        running.put(pod.getMetadata().getName(), System.nanoTime());
        compute.pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
        return;
      } catch (RuntimeException e) {
        copy =
            compute
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        copy.setStatus(
            new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP("10.0.0.1")
                .withStartTime("2026-11-28T12:00:00Z")
                .build());
      }
    }
  }

  private static void printLatency(String what, Map<String, Long> from, Map<String, Long> to) {
    long[] ms =
        to.entrySet().stream()
            .filter(e -> from.containsKey(e.getKey()))
            .mapToLong(e -> e.getValue() - from.get(e.getKey()))
            .sorted()
            .toArray();
    if (ms.length == 0) {
      System.out.printf("%s: no samples%n", what);
      return;
    }
    System.out.printf(
        "%-36s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms (%d samples)%n",
        what + ":", pct(ms, 0.50), pct(ms, 0.99), ms[ms.length - 1] / 1e6, ms.length);
  }

  private static double pct(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels("app", "bench")
        .addToLabels("strata.dev/gang-name", "bench")
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .addNewContainer()
        .withName("main")
        .withImage("trainer:1")
        .endContainer()
        .endSpec()
        .build();
  }

  private static void drain(KubernetesMockServer server, Map<String, Integer> tally)
      throws InterruptedException {
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (tally != null && !BENCH_AGENT.equals(request.getHeader("User-Agent"))) {
        String path = request.getPath().replaceAll("\\?.*", "");
        String[] parts = path.split("/");
        String resource = parts.length > 5 ? parts[5] : parts[parts.length - 1];
        if (path.endsWith("/status")) {
          resource += "/status";
        }
        String verb = request.getMethod() + (path.contains("watch=true") ? " watch" : "");
        tally.merge(verb + " " + resource, 1, Integer::sum);
      }
    }
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

  private static KubernetesClient client(KubernetesMockServer server, String agent) {
    Config base = server.createClient().getConfiguration();
    Config config = new ConfigBuilder(base).withUserAgent(agent).build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new VertxHttpClientFactory())
        .build();
  }

  private static <T> ResourceEventHandler<T> onAdd(java.util.function.Consumer<T> added) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        added.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {}

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  private static <T> ResourceEventHandler<T> onChange(java.util.function.Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }
}
