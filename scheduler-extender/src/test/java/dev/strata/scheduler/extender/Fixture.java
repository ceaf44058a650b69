package dev.strata.scheduler.extender;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The cluster the golden files are written against:
 *
 * <ul>
 *   <li>gpu-a: 8 V100, HIGH pod team-x/serve holds 4 (GPUs 0-3);
 *   <li>gpu-b: 8 V100, LOW gang team-b/batch (one pod, batch-0) holds 6;
 *   <li>cpu-c: no GPUs; gpu-d: 8 V100 but cordoned.
 * </ul>
 *
 * Quotas: team-a 8 GPUs, team-x 4.
 */
final class Fixture {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
  static final List<TenantQuota> QUOTAS =
      List.of(new TenantQuota("team-a", 8), new TenantQuota("team-x", 4));

  private Fixture() {}

  static ClusterView view() {
    ClusterView view = new ClusterView();
    view.upsertNode(node("gpu-a", 8, false));
    view.upsertNode(node("gpu-b", 8, false));
    view.upsertNode(node("cpu-c", 0, false));
    view.upsertNode(node("gpu-d", 8, true));
    view.upsertPod(
        withNode(
            pod("team-x", "serve", "uid-serve", 4, Map.of("strata.dev/tier", "high")),
            "gpu-a",
            "0,1,2,3"));
    view.upsertPod(
        withNode(
            pod(
                "team-b",
                "batch-0",
                "uid-batch-0",
                6,
                Map.of("strata.dev/tier", "low", "strata.dev/gang-name", "batch")),
            "gpu-b",
            "0,1,2,3,4,5"));
    return view;
  }

  static ExtenderService service(ClusterView view, PodBinder binder) {
    return new ExtenderService(
        view, Policies.createDefault(List.of()), QUOTAS, binder, CLOCK, Duration.ofSeconds(30));
  }

  static Node node(String name, int gpus, boolean cordoned) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(gpus > 0 ? Map.of("strata.dev/gpu-model", "V100") : Map.of())
            .endMetadata()
            .withNewSpec()
            .withUnschedulable(cordoned ? true : null)
            .endSpec()
            .withNewStatus()
            .addToAllocatable("cpu", new Quantity("32"))
            .addToAllocatable("memory", new Quantity("128Gi"))
            .addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
            .endStatus();
    return b.build();
  }

  /** A pending pod asking for {@code gpus} whole GPUs, 2 cores and 4 GiB. */
  static Pod pod(String namespace, String name, String uid, int gpus, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid(uid)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("trainer")
        .withNewResources()
        .addToRequests("cpu", new Quantity("2"))
        .addToRequests("memory", new Quantity("4Gi"))
        .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  static Pod withNode(Pod pod, String node, String gpuIndices) {
    return new PodBuilder(pod)
        .editMetadata()
        .addToAnnotations("strata.dev/gpu-indices", gpuIndices)
        .endMetadata()
        .editSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withStartTime("2026-01-01T11:00:00Z")
        .endStatus()
        .build();
  }
}
