package dev.strata.operators;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.KubernetesEventRecorder;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.mpijob.MPIJobController;
import dev.strata.operators.mpijob.MPIJobReconciler;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import dev.strata.operators.tfjob.TFJobController;
import dev.strata.operators.tfjob.TFJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator process: the chosen controllers on one java-operator-sdk Operator. Server-side apply
 * is off so that it works against the CRUD mock API server as well as real clusters.
 */
public final class StrataOperator implements AutoCloseable {
  private final Operator operator;

  private StrataOperator(Operator operator) {
    this.operator = operator;
  }

  public static StrataOperator start(KubernetesClient client, OperatorOptions options) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(options.reconcileThreads())
                    .withCloseClientOnStop(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(5))
                    .withLeaderElectionConfiguration(options.leaderElection()));
    if (options.controllers().contains(OperatorOptions.MPIJOB)) {
      Clock clock = Clock.systemUTC();
      MPIJobController controller =
          new MPIJobController(
              new ObjectWriter(client),
              new KubernetesEventRecorder(client, "mpijob-controller", clock),
              clock,
              SshKeyPairGenerator::generate,
              options.podPolicy());
      operator.<MPIJob>register(
          new MPIJobReconciler(controller),
          c -> {
            if (!options.namespaces().isEmpty()) {
              c.settingNamespaces(options.namespaces());
            }
          });
    }
    if (options.controllers().contains(OperatorOptions.TFJOB)) {
      Clock clock = Clock.systemUTC();
      TFJobController controller =
          new TFJobController(
              new ObjectWriter(client),
              new KubernetesEventRecorder(client, "tfjob-controller", clock),
              clock,
              options.podPolicy());
      operator.<TFJob>register(
          new TFJobReconciler(controller),
          c -> {
            if (!options.namespaces().isEmpty()) {
              c.settingNamespaces(options.namespaces());
            }
          });
    }
    operator.start();
    return new StrataOperator(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
