package dev.strata.operators;

import dev.strata.operators.common.JobPodPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata-operator}: runs the MPIJob and TFJob controllers against the current kubeconfig.
 */
@Command(
    name = "strata-operator",
    mixinStandardHelpOptions = true,
    description = "Runs Strata's Kubeflow-compatible job controllers.")
public final class Main implements Callable<Integer> {
  @Option(
      names = "--controllers",
      split = ",",
      defaultValue = "mpijob",
      description = "Controllers to run: mpijob, tfjob (default: ${DEFAULT-VALUE}).")
  List<String> controllers;

  @Option(names = "--namespaces", split = ",", description = "Namespaces to watch (default: all).")
  List<String> namespaces = List.of();

  @Option(
      names = "--gang-by-default",
      defaultValue = "true",
      negatable = true,
      description = "Put gang metadata on every job's pods (default: ${DEFAULT-VALUE}).")
  boolean gangByDefault;

  @Option(
      names = "--tolerate-virtual-node",
      defaultValue = "true",
      negatable = true,
      description =
          "Let every job pod tolerate the virtual node's taint"
              + " virtual-kubelet.io/provider=strata:NoSchedule (default: ${DEFAULT-VALUE}).")
  boolean tolerateVirtualNode;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "16",
      description = "Jobs reconciled at once (default: ${DEFAULT-VALUE}).")
  int reconcileThreads;

  @Option(
      names = "--leader-elect",
      defaultValue = "true",
      negatable = true,
      description =
          "Reconcile only while holding a Lease, so that several replicas can run and one works"
              + " (default: ${DEFAULT-VALUE}; --no-leader-elect for a single process).")
  boolean leaderElect;

  @Option(
      names = "--leader-elect-namespace",
      description =
          "Namespace of the Lease (default: $POD_NAMESPACE, else the service account's namespace).")
  String leaseNamespace;

  @Option(
      names = "--leader-elect-lease-name",
      defaultValue = "strata-operator",
      description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /**
   * java-operator-sdk's leader election on the Lease; a replica that stops leading exits (the SDK's
   * default), and its restart rejoins as a follower.
   */
  LeaderElectionConfiguration leaderElection() {
    String namespace = leaseNamespace;
    if (namespace == null || namespace.isBlank()) {
      namespace = System.getenv("POD_NAMESPACE");
    }
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName);
    if (namespace != null && !namespace.isBlank()) {
      builder.withLeaseNamespace(namespace);
    }
    return builder.build();
  }

  @Override
  public Integer call() throws InterruptedException {
    Set<String> known = Set.of(OperatorOptions.MPIJOB, OperatorOptions.TFJOB);
    for (String controller : controllers) {
      if (!known.contains(controller)) {
        System.err.println("unknown controller '" + controller + "': choose from " + known);
        return 2;
      }
    }
    OperatorOptions options =
        new OperatorOptions(
            new LinkedHashSet<>(controllers),
            new LinkedHashSet<>(namespaces),
            new JobPodPolicy(
                gangByDefault,
                tolerateVirtualNode ? List.of(JobPodPolicy.virtualNodeToleration()) : List.of()),
            reconcileThreads,
            leaderElect ? leaderElection() : null);
    // The Vert.x HTTP client, chosen explicitly: with more than one on the classpath fabric8
    // would pick either.
    KubernetesClient client =
        new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory()).build();
    CountDownLatch stopped = new CountDownLatch(1);
    StrataOperator operator = StrataOperator.start(client, options);
    // Stop the controllers inside the hook: the JVM halts once hooks return.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
