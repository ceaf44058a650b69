package dev.strata.scheduler.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Round trips of kube-scheduler's extender calls over real HTTP: a cache of {@code --nodes} 8-GPU
 * nodes, about half their GPUs taken by running pods, and {@code --pending} waiting pods of 1, 2, 4
 * or 8 GPUs or a GPU share. Each round sends one pod's filter with every node name
 * (nodeCacheCapable, as with {@code percentageOfNodesToScore: 100}) and then its prioritize with
 * the nodes that passed, on one keep-alive connection, and times each call from send to parsed
 * answer. Prints p50/p99/max per verb and calls per second.
 *
 * <p>Then the same rounds without HTTP, on one thread: body parsed, verb decided, answer written,
 * as the server's handler does, timed in that thread's CPU time. On a loaded machine the round
 * trips include waits for a core; the CPU time is the extender's own work per request.
 */
@Command(
    name = "extender",
    mixinStandardHelpOptions = true,
    description = "Extender filter + prioritize round trips over HTTP (issue 6).")
public final class ExtenderBenchmark implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  @Option(names = "--nodes", defaultValue = "5000", description = "Nodes in the cache.")
  int nodes;

  @Option(names = "--pending", defaultValue = "100", description = "Distinct pending pods.")
  int pending;

  @Option(
      names = "--rounds",
      defaultValue = "2000",
      description = "Measured filter+prioritize rounds.")
  int rounds;

  @Option(names = "--warmup", defaultValue = "500", description = "Unmeasured rounds first.")
  int warmup;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ExtenderBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Random random = new Random(seed);
    ClusterView view = new ClusterView();
    List<String> names = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      String name = String.format("gpu-%05d", i);
      names.add(name);
      view.upsertNode(node(name));
      int used = random.nextInt(9);
      if (used > 0) {
        view.upsertPod(running("run-" + i, name, used));
      }
    }
    List<byte[]> filterBodies = new ArrayList<>();
    String nameArray = JSON.writeValueAsString(names);
    int[] shapes = {1, 1, 1, 2, 4, 8, -300};
    for (int i = 0; i < pending; i++) {
      Pod pod = pendingPod("pending-" + i, shapes[i % shapes.length]);
      view.upsertPod(pod);
      filterBodies.add(
          ("{\"Pod\":" + KUBE.asJson(pod) + ",\"Nodes\":null,\"NodeNames\":" + nameArray + "}")
              .getBytes(StandardCharsets.UTF_8));
    }
    ExtenderService service =
        new ExtenderService(
            view,
            Policies.createDefault(List.of()),
            List.of(new TenantQuota("bench", 1_000_000)),
            PodBinder.NONE,
            Clock.systemUTC(),
            Duration.ofMinutes(10));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ExtenderServer server =
        new ExtenderServer(service, "127.0.0.1", 0, 4, ExtenderMain.version()).start()) {
      String base = "http://127.0.0.1:" + server.port() + "/";
      long[] filter = new long[rounds];
      long[] prioritize = new long[rounds];
      long[] passedCounts = new long[rounds];
      long start = 0;
      for (int r = -warmup; r < rounds; r++) {
        if (r == 0) {
          start = System.nanoTime();
        }
        int p = Math.floorMod(r, pending);
        long t0 = System.nanoTime();
        JsonNode filtered = call(http, base + ExtenderServer.FILTER, filterBodies.get(p));
        long t1 = System.nanoTime();
        JsonNode passed = filtered.get("NodeNames");
        JsonNode pod = JSON.readTree(filterBodies.get(p)).get("Pod");
        com.fasterxml.jackson.databind.node.ObjectNode args = JSON.createObjectNode();
        args.set("Pod", pod);
        args.putNull("Nodes");
        args.set("NodeNames", passed);
        byte[] prioritizeBody = JSON.writeValueAsBytes(args);
        long t2 = System.nanoTime();
        call(http, base + ExtenderServer.PRIORITIZE, prioritizeBody);
        long t3 = System.nanoTime();
        if (r >= 0) {
          filter[r] = t1 - t0;
          prioritize[r] = t3 - t2;
          passedCounts[r] = passed.size();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "extender round trips: %d nodes (8 GPUs each), %d pending pods, %d rounds after %d"
              + " warm-up, one keep-alive connection%n",
          nodes, pending, rounds, warmup);
      System.out.printf(
          "filter request %d KB (all node names); nodes passing filter: median %d%n",
          filterBodies.get(0).length / 1024, percentile(passedCounts, 50));
      System.out.printf("%-11s %9s %9s %9s%n", "verb", "p50 ms", "p99 ms", "max ms");
      print("filter", filter);
      print("prioritize", prioritize);
      System.out.printf(
          "calls/s    %9.0f (filter + prioritize, sequential)%n", 2 * rounds / seconds);
    }
    inProcess(service, filterBodies);
    afterCacheChange(service, view, filterBodies);
    afterRefresh(service, filterBodies);
    return 0;
  }

  /**
   * A filter right after one pod event: the first request after a change in the cache applies it to
   * the kept snapshot and reservations (it used to read every node and pod again).
   */
  private void afterCacheChange(ExtenderService service, ClusterView view, List<byte[]> bodies)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int n = Math.max(1, rounds / 20);
    long[] cpu = new long[n];
    long[] wall = new long[n];
    for (int r = -Math.max(1, warmup / 20); r < n; r++) {
      int p = Math.floorMod(r, pending);
      view.upsertPod(running("churn-" + Math.floorMod(r, 2), "gpu-00000", 0));
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      ExtenderWire.write(
          service.filter(ExtenderWire.extenderArgs(ExtenderWire.parse(bodies.get(p)))));
      if (r >= 0) {
        cpu[r] = threads.getCurrentThreadCpuTime() - c0;
        wall[r] = System.nanoTime() - w0;
      }
    }
    System.out.printf(
        "filter after one pod event in the cache (snapshot moved forward), %d calls:%n", n);
    print("cpu", cpu);
    print("wall", wall);
  }

  /**
   * A filter right after the periodic whole reading of the cache, which runs on its own thread in
   * the extender (timed here apart, as "reading cpu"): the first request on the fresh snapshot.
   */
  private void afterRefresh(ExtenderService service, List<byte[]> bodies) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int n = Math.max(1, rounds / 50);
    long[] cpu = new long[n];
    long[] wall = new long[n];
    long[] refresh = new long[n];
    for (int r = -Math.max(1, warmup / 50); r < n; r++) {
      int p = Math.floorMod(r, pending);
      long c = threads.getCurrentThreadCpuTime();
      service.refresh();
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      ExtenderWire.write(
          service.filter(ExtenderWire.extenderArgs(ExtenderWire.parse(bodies.get(p)))));
      if (r >= 0) {
        refresh[r] = c0 - c;
        cpu[r] = threads.getCurrentThreadCpuTime() - c0;
        wall[r] = System.nanoTime() - w0;
      }
    }
    System.out.printf(
        "filter right after the periodic whole reading (off the request path), %d calls:%n", n);
    print("cpu", cpu);
    print("wall", wall);
    print("reading cpu", refresh);
  }

  /** Parse, decide and write per verb without HTTP, in thread CPU time and wall time. */
  private void inProcess(ExtenderService service, List<byte[]> filterBodies) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] filterCpu = new long[rounds];
    long[] filterWall = new long[rounds];
    long[] prioritizeCpu = new long[rounds];
    long[] prioritizeWall = new long[rounds];
    for (int r = -warmup; r < rounds; r++) {
      int p = Math.floorMod(r, pending);
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      byte[] filtered =
          ExtenderWire.write(
              service.filter(ExtenderWire.extenderArgs(ExtenderWire.parse(filterBodies.get(p)))));
      long c1 = threads.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      JsonNode passed = JSON.readTree(filtered).get("NodeNames");
      com.fasterxml.jackson.databind.node.ObjectNode args = JSON.createObjectNode();
      args.set("Pod", JSON.readTree(filterBodies.get(p)).get("Pod"));
      args.putNull("Nodes");
      args.set("NodeNames", passed);
      byte[] prioritizeBody = JSON.writeValueAsBytes(args);
      long c2 = threads.getCurrentThreadCpuTime();
      long w2 = System.nanoTime();
      ExtenderWire.write(
          service.prioritize(ExtenderWire.extenderArgs(ExtenderWire.parse(prioritizeBody))));
      long c3 = threads.getCurrentThreadCpuTime();
      long w3 = System.nanoTime();
      if (r >= 0) {
        filterCpu[r] = c1 - c0;
        filterWall[r] = w1 - w0;
        prioritizeCpu[r] = c3 - c2;
        prioritizeWall[r] = w3 - w2;
      }
    }
    System.out.printf(
        "in process (parse + decide + write, no HTTP), %d rounds after %d warm-up:%n",
        rounds, warmup);
    System.out.printf("%-11s %9s %9s %9s%n", "verb", "p50 ms", "p99 ms", "max ms");
    print("filter cpu", filterCpu);
    print("filter wall", filterWall);
    print("prior. cpu", prioritizeCpu);
    print("prior. wall", prioritizeWall);
  }

  private static JsonNode call(HttpClient http, String url, byte[] body) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private static void print(String verb, long[] nanos) {
    System.out.printf(
        "%-11s %9.2f %9.2f %9.2f%n",
        verb,
        percentile(nanos, 50) / 1e6,
        percentile(nanos, 99) / 1e6,
        Arrays.stream(nanos).max().orElse(0) / 1e6);
  }

  private static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static Node node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("strata.dev/gpu-model", "V100"))
        .endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity("64"))
        .addToAllocatable("memory", new Quantity("512Gi"))
        .addToAllocatable("nvidia.com/gpu", new Quantity("8"))
        .endStatus()
        .build();
  }

  private static Pod running(String name, String node, int gpus) {
    Pod pod = pendingPod(name, gpus);
    StringBuilder indices = new StringBuilder();
    for (int g = 0; g < gpus; g++) {
      indices.append(g == 0 ? "" : ",").append(g);
    }
    return new PodBuilder(pod)
        .editMetadata()
        .addToAnnotations("strata.dev/gpu-indices", indices.toString())
        .endMetadata()
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  /** A pod of {@code gpus} whole GPUs, or a share of {@code -gpus} milli when negative. */
  private static Pod pendingPod(String name, int gpus) {
    String resource = gpus > 0 ? "nvidia.com/gpu" : "strata.dev/gpu-milli";
    String amount = Integer.toString(Math.abs(gpus));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("bench")
        .withUid("uid-" + name)
        .withLabels(Map.of("strata.dev/tenant", "bench", "strata.dev/tier", "high"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("trainer")
        .withNewResources()
        .addToRequests("cpu", new Quantity("4"))
        .addToRequests("memory", new Quantity("16Gi"))
        .addToLimits(resource, new Quantity(amount))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
