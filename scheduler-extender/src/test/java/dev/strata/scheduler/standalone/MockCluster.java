package dev.strata.scheduler.standalone;

import dev.strata.scheduler.apiserver.BindingDispatcher;
import dev.strata.scheduler.kube.KubeKeys;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The CRUD mock API server with GPU nodes and pods as the compute cluster has them. */
final class MockCluster implements AutoCloseable {

  static final String NS = "compute";

  final KubernetesMockServer server;
  final KubernetesClient client;

  /** With the {@code pods/binding} subresource, as every API server the scheduler meets has. */
  MockCluster() {
    this(new BindingDispatcher());
  }

  MockCluster(KubernetesCrudDispatcher dispatcher) {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient(new VertxHttpClientFactory());
  }

  void node(String name, int gpus, String model) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(KubeKeys.GPU_MODEL_LABEL, model)
                .endMetadata()
                .withNewStatus()
                .addToAllocatable("cpu", new Quantity("64"))
                .addToAllocatable("memory", new Quantity("256Gi"))
                .addToAllocatable(KubeKeys.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  /** A pod for strata-scheduler asking for {@code gpus} whole GPUs and one core. */
  static PodBuilder pod(String name, int gpus) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .withSchedulerName(KubeKeys.SCHEDULER_NAME)
        .addNewContainer()
        .withName("main")
        .withImage("trainer")
        .withNewResources()
        .addToRequests("cpu", new Quantity("1"))
        .addToLimits(KubeKeys.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
        .endResources()
        .endContainer()
        .endSpec();
  }

  /** A member of gang {@code gang} of {@code min} pods, for tenant and tier. */
  static PodBuilder member(String gang, int index, int gpus, int min, String tenant, String tier) {
    return pod(gang + "-" + index, gpus)
        .editMetadata()
        .addToLabels(KubeKeys.GANG_NAME_LABEL, gang)
        .addToLabels(KubeKeys.TENANT_LABEL, tenant)
        .addToLabels(KubeKeys.TIER_LABEL, tier)
        .addToAnnotations(KubeKeys.GANG_MIN_MEMBER_ANNOTATION, Integer.toString(min))
        .endMetadata();
  }

  Pod create(PodBuilder pod) {
    return client.pods().inNamespace(NS).resource(pod.build()).create();
  }

  Pod get(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  String nodeOf(String name) {
    Pod pod = get(name);
    return pod == null ? null : pod.getSpec().getNodeName();
  }

  String gpus(String name) {
    Map<String, String> annotations = get(name).getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(KubeKeys.GPU_INDICES_ANNOTATION);
  }

  /** The PodScheduled=False/Unschedulable message, or null. */
  String unschedulable(String name) {
    Pod pod = get(name);
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        return c.getMessage();
      }
    }
    return null;
  }

  List<Pod> pods() {
    return client.pods().inNamespace(NS).list().getItems();
  }

  List<Event> events(String pod, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
