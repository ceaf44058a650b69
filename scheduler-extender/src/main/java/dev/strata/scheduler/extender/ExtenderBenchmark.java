package dev.strata.scheduler.extender;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.scheduler.bench.BenchObjects;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Round trips of kube-scheduler's extender calls over real HTTP: a cache of {@code --nodes} 8-GPU
 * nodes, about half their GPUs taken by running pods, and {@code --pending} waiting pods of 1, 2, 4
 * or 8 GPUs or a GPU share. Each round sends one pod's filter with every node name
 * (nodeCacheCapable, as with {@code percentageOfNodesToScore: 100}) and then its prioritize with
 * the nodes that passed, on one keep-alive connection, and times each call from send to parsed
 * answer. Prints p50/p99/max per verb, calls per second, and CPU per call, for each {@code
 * --client}: {@code jdk} (the JDK HttpClient in this JVM, answers read as trees: what this
 * benchmark used first), {@code socket} ({@link BlockingHttpClient}, answers streamed) and {@code
 * process} (that client in a separate JVM, so its allocation and GC are not the extender's, as
 * kube-scheduler's are not). All three run against one server, one after the other, so the change
 * in measurement shows in one run.
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

  @Option(
      names = "--client",
      split = ",",
      defaultValue = "jdk,socket,process",
      description =
          "HTTP clients to measure, one after the other against the same server: jdk (the JDK"
              + " HttpClient in this JVM, trees parsed), socket (a blocking HTTP/1.1 client on a"
              + " plain socket in this JVM, answers streamed), process (the socket client in a"
              + " separate JVM, as kube-scheduler is a separate process). Default:"
              + " ${DEFAULT-VALUE}.")
  List<String> clients;

  @Option(
      names = "--pod-events",
      defaultValue = "0",
      description =
          "Pod events per second applied to the cache while the HTTP rounds run (a one-GPU pod"
              + " bound to a node with room, then gone, alternately), as informers deliver them"
              + " in a busy cluster. Default: ${DEFAULT-VALUE}.")
  int podEventsPerSecond;

  /** Nodes with GPU 7 free, where churn pods go. */
  private final List<String> roomy = new ArrayList<>();

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
      view.upsertNode(BenchObjects.node(name));
      int used = random.nextInt(9);
      if (used > 0) {
        view.upsertPod(BenchObjects.running("run-" + i, name, used));
      }
      if (used < 8) {
        roomy.add(name);
      }
    }
    List<byte[]> filterBodies = new ArrayList<>();
    String nameArray = JSON.writeValueAsString(names);
    int[] shapes = {1, 1, 1, 2, 4, 8, -300};
    for (int i = 0; i < pending; i++) {
      Pod pod = BenchObjects.pending("pending-" + i, shapes[i % shapes.length]);
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
    List<byte[]> pods = new ArrayList<>();
    for (byte[] body : filterBodies) {
      pods.add(podJson(body));
    }
    List<String> rows = new ArrayList<>();
    ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
    AtomicLong events = new AtomicLong();
    if (podEventsPerSecond > 0) {
      churn.scheduleAtFixedRate(
          () -> podEvent(view, events.getAndIncrement()),
          0,
          1_000_000_000L / podEventsPerSecond,
          TimeUnit.NANOSECONDS);
    }
    try (ExtenderServer server =
        new ExtenderServer(service, "127.0.0.1", 0, 4, ExtenderMain.version()).start()) {
      System.out.printf(
          "extender round trips: %d nodes (8 GPUs each), %d pending pods, %d rounds after %d"
              + " warm-up per client, one keep-alive connection%n",
          nodes, pending, rounds, warmup);
      System.out.printf(
          "filter request %d KB (all node names); pod events in the cache meanwhile: %d/s%n",
          filterBodies.get(0).length / 1024, podEventsPerSecond);
      for (String client : clients) {
        Timings t =
            switch (client) {
              case "jdk" -> jdkRounds(server.port(), filterBodies);
              case "socket" ->
                  socketRounds(
                      "127.0.0.1", server.port(), filterBodies, pods, rounds, warmup, () -> {});
              case "process" -> processRounds(server.port(), filterBodies);
              default ->
                  throw new CommandLine.ParameterException(
                      new CommandLine(this), "unknown --client " + client);
            };
        rows.add(t.row(client));
      }
    } finally {
      churn.shutdownNow();
    }
    if (podEventsPerSecond > 0) {
      System.out.printf(
          "%d pod events applied; the snapshot was read whole %d times and moved forward %d"
              + " times%n",
          events.get(), service.fullReads(), service.movesForward());
    }
    System.out.printf(
        "%-8s %7s %24s %24s %8s %9s %9s%n",
        "client",
        "passed",
        "filter p50/p99/max ms",
        "prioritize p50/p99/max ms",
        "calls/s",
        "JVM cpu",
        "client");
    rows.forEach(System.out::println);
    inProcess(service, filterBodies);
    afterCacheChange(service, view, filterBodies);
    afterRefresh(service, filterBodies);
    return 0;
  }

  /**
   * Per measured round: filter and prioritize round trips, nodes that passed; and the run's time.
   */
  record Timings(
      long[] filter,
      long[] prioritize,
      long[] passed,
      double seconds,
      long benchCpuNanos,
      long clientCpuNanos) {
    String row(String client) {
      int calls = 2 * filter.length;
      return String.format(
          "%-8s %7d %24s %24s %8.0f %9.2f %9s",
          client,
          percentile(passed, 50),
          stats(filter),
          stats(prioritize),
          calls / seconds,
          benchCpuNanos / 1e6 / calls,
          clientCpuNanos < 0 ? "(in it)" : String.format("%.2f", clientCpuNanos / 1e6 / calls));
    }
  }

  /** CPU time of this whole JVM (all threads, GC and JIT included) so far. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The JDK HttpClient in this JVM, answers read as trees: the benchmark's client until now. */
  private Timings jdkRounds(int port, List<byte[]> filterBodies) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port + "/";
    long[] filter = new long[rounds];
    long[] prioritize = new long[rounds];
    long[] passedCounts = new long[rounds];
    long start = 0;
    long cpu = 0;
    for (int r = -warmup; r < rounds; r++) {
      if (r == 0) {
        start = System.nanoTime();
        cpu = processCpuNanos();
      }
      int p = Math.floorMod(r, filterBodies.size());
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
    return new Timings(
        filter,
        prioritize,
        passedCounts,
        (System.nanoTime() - start) / 1e9,
        processCpuNanos() - cpu,
        -1);
  }

  /**
   * The blocking socket client: answers streamed into names and scores as Go's decoder fills its
   * structs, the prioritize body put together from the pod's JSON and the names that passed.
   */
  static Timings socketRounds(
      String host,
      int port,
      List<byte[]> filterBodies,
      List<byte[]> pods,
      int rounds,
      int warmup,
      Runnable atMeasureStart)
      throws IOException {
    long[] filter = new long[rounds];
    long[] prioritize = new long[rounds];
    long[] passedCounts = new long[rounds];
    long start = 0;
    long cpu = 0;
    ByteArrayOutputStream body = new ByteArrayOutputStream(128 * 1024);
    try (BlockingHttpClient http = new BlockingHttpClient(host, port)) {
      for (int r = -warmup; r < rounds; r++) {
        if (r == 0) {
          atMeasureStart.run();
          start = System.nanoTime();
          cpu = processCpuNanos();
        }
        int p = Math.floorMod(r, filterBodies.size());
        long t0 = System.nanoTime();
        List<String> passed =
            passedNames(expectOk(http.post("/" + ExtenderServer.FILTER, filterBodies.get(p))));
        long t1 = System.nanoTime();
        body.reset();
        body.writeBytes(PRIORITIZE_HEAD);
        body.writeBytes(pods.get(p));
        body.writeBytes(PRIORITIZE_NAMES);
        try (JsonGenerator g = JSON.createGenerator(body)) {
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          g.writeStartArray();
          for (String name : passed) {
            g.writeString(name);
          }
          g.writeEndArray();
        }
        body.write('}');
        byte[] prioritizeBody = body.toByteArray();
        long t2 = System.nanoTime();
        int scored =
            hostScores(expectOk(http.post("/" + ExtenderServer.PRIORITIZE, prioritizeBody)));
        long t3 = System.nanoTime();
        if (scored != passed.size()) {
          throw new IllegalStateException(
              "prioritize scored " + scored + " hosts of " + passed.size());
        }
        if (r >= 0) {
          filter[r] = t1 - t0;
          prioritize[r] = t3 - t2;
          passedCounts[r] = passed.size();
        }
      }
    }
    return new Timings(
        filter,
        prioritize,
        passedCounts,
        (System.nanoTime() - start) / 1e9,
        processCpuNanos() - cpu,
        -1);
  }

  private static final byte[] PRIORITIZE_HEAD = "{\"Pod\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PRIORITIZE_NAMES =
      ",\"Nodes\":null,\"NodeNames\":".getBytes(StandardCharsets.UTF_8);

  private static BlockingHttpClient.Response expectOk(BlockingHttpClient.Response response) {
    if (response.status() != 200) {
      throw new IllegalStateException(
          "extender answered "
              + response.status()
              + ": "
              + new String(response.body(), 0, response.length(), StandardCharsets.UTF_8));
    }
    return response;
  }

  /** {@code NodeNames} of an ExtenderFilterResult, read with the streaming parser. */
  static List<String> passedNames(BlockingHttpClient.Response response) throws IOException {
    List<String> names = new ArrayList<>();
    try (JsonParser p = JSON.createParser(response.body(), 0, response.length())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (key.equals("NodeNames") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            names.add(p.getText());
          }
        } else if (key.equals("Error") && value == JsonToken.VALUE_STRING) {
          if (!p.getText().isEmpty()) {
            throw new IllegalStateException("filter answered an error: " + p.getText());
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return names;
  }

  /** How many {@code HostPriority} entries, each read into a host and a score. */
  static int hostScores(BlockingHttpClient.Response response) throws IOException {
    int count = 0;
    long checksum = 0;
    try (JsonParser p = JSON.createParser(response.body(), 0, response.length())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("prioritize did not answer a HostPriorityList");
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String host = null;
        long score = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          if (key.equals("Host")) {
            host = p.getText();
          } else if (key.equals("Score")) {
            score = p.getLongValue();
          } else {
            p.skipChildren();
          }
        }
        checksum += score + (host == null ? 0 : host.length());
        count++;
      }
    }
    return checksum < 0 ? -1 : count;
  }

  /** The pod's JSON as it appears in a filter body, to put the prioritize body together. */
  private static byte[] podJson(byte[] filterBody) throws IOException {
    return JSON.writeValueAsBytes(JSON.readTree(filterBody).get("Pod"));
  }

  /**
   * The socket client in a separate JVM on the same classpath: its allocation and GC pauses are no
   * longer the server's, as kube-scheduler's are not the extender's.
   */
  private Timings processRounds(int port, List<byte[]> filterBodies) throws Exception {
    Path file = Files.createTempFile("strata-extender-bench", ".bodies");
    try {
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
        out.writeInt(filterBodies.size());
        for (byte[] body : filterBodies) {
          out.writeInt(body.length);
          out.write(body);
        }
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child =
          new ProcessBuilder(
                  java,
                  "-XX:+UseSerialGC",
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  RemoteClient.class.getName(),
                  Integer.toString(port),
                  Integer.toString(rounds),
                  Integer.toString(warmup),
                  file.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      long[] filter = new long[rounds];
      long[] prioritize = new long[rounds];
      long[] passed = new long[rounds];
      double seconds = 0;
      long cpu0 = -1;
      long cpu1 = -1;
      long clientCpu = -1;
      int r = 0;
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] f = line.split(" ");
          if (f[0].equals("W")) {
            cpu0 = processCpuNanos(); // the client starts its measured rounds
            continue;
          }
          if (cpu1 < 0) {
            cpu1 = processCpuNanos(); // it prints only after its last round
          }
          if (f[0].equals("C")) {
            clientCpu = Long.parseLong(f[1]);
          } else if (f[0].equals("T") && r < rounds) {
            filter[r] = Long.parseLong(f[1]);
            prioritize[r] = Long.parseLong(f[2]);
            passed[r] = Long.parseLong(f[3]);
            r++;
          } else if (f[0].equals("S")) {
            seconds = Double.parseDouble(f[1]);
          }
        }
      }
      int exit = child.waitFor();
      if (exit != 0 || r != rounds) {
        throw new IllegalStateException(
            "client process exited " + exit + " after " + r + " of " + rounds + " rounds");
      }
      return new Timings(filter, prioritize, passed, seconds, cpu1 - cpu0, clientCpu);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The separate client process: reads the bodies, runs the socket rounds, prints timings. */
  static final class RemoteClient {
    public static void main(String[] args) throws IOException {
      int port = Integer.parseInt(args[0]);
      int rounds = Integer.parseInt(args[1]);
      int warmup = Integer.parseInt(args[2]);
      List<byte[]> bodies = new ArrayList<>();
      List<byte[]> pods = new ArrayList<>();
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(args[3]))))) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          byte[] body = new byte[in.readInt()];
          in.readFully(body);
          bodies.add(body);
          pods.add(podJson(body));
        }
      }
      Timings t =
          socketRounds(
              "127.0.0.1",
              port,
              bodies,
              pods,
              rounds,
              warmup,
              () -> {
                System.out.println("W");
                System.out.flush();
              });
      StringBuilder out = new StringBuilder(rounds * 24);
      for (int r = 0; r < rounds; r++) {
        out.append("T ")
            .append(t.filter()[r])
            .append(' ')
            .append(t.prioritize()[r])
            .append(' ')
            .append(t.passed()[r])
            .append('\n');
      }
      out.append("S ").append(t.seconds()).append('\n');
      out.append("C ").append(t.benchCpuNanos()).append('\n');
      System.out.print(out);
      System.out.flush();
    }
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
      podEvent(view, r + 1_000_000L);
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      ExtenderWire.write(service.filter(ExtenderArgsReader.read(bodies.get(p))));
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
          ExtenderWire.write(service.filter(ExtenderArgsReader.read(filterBodies.get(p))));
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
      ExtenderWire.write(service.prioritize(ExtenderArgsReader.read(prioritizeBody)));
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
    parseOnly(filterBodies);
  }

  /** Reading a filter body alone: the tree reader the server used before, and the streaming one. */
  private void parseOnly(List<byte[]> filterBodies) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] tree = new long[rounds];
    long[] streamed = new long[rounds];
    for (int r = -warmup; r < rounds; r++) {
      byte[] body = filterBodies.get(Math.floorMod(r, filterBodies.size()));
      long c0 = threads.getCurrentThreadCpuTime();
      ExtenderWire.extenderArgs(ExtenderWire.parse(body));
      long c1 = threads.getCurrentThreadCpuTime();
      ExtenderArgsReader.read(body);
      long c2 = threads.getCurrentThreadCpuTime();
      if (r >= 0) {
        tree[r] = c1 - c0;
        streamed[r] = c2 - c1;
      }
    }
    System.out.println("reading one filter body (5,000 names and the pod), thread CPU:");
    print("tree", tree);
    print("streaming", streamed);
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

  private static String stats(long[] nanos) {
    return String.format(
        "%.2f / %.2f / %.1f",
        percentile(nanos, 50) / 1e6,
        percentile(nanos, 99) / 1e6,
        Arrays.stream(nanos).max().orElse(0) / 1e6);
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

  /**
   * Event {@code n}: even ones bind churn pod n/2 mod 50 (one GPU, index 7) to a node with room,
   * odd ones delete it again.
   */
  private void podEvent(ClusterView view, long n) {
    int slot = (int) ((n / 2) % 50);
    String node = roomy.get((int) ((n / 2 * 7919) % roomy.size()));
    Pod pod = BenchObjects.running("churn-" + slot, node, 1);
    pod.getMetadata().getAnnotations().put("strata.dev/gpu-indices", "7");
    if (n % 2 == 0) {
      view.upsertPod(pod);
    } else {
      view.removePod(pod);
    }
  }
}
