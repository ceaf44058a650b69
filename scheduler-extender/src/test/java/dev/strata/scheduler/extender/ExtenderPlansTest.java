package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans hold their GPUs: a pod planned by filter but not yet bound takes its node's GPUs out of
 * every other pod's decision, so kube-scheduler never gets two pods sent to the same GPUs.
 */
class ExtenderPlansTest {

  private static Pod low(String name) {
    return Fixture.pod("team-c", name, "uid-" + name, 8, Map.of("strata.dev/tier", "low"));
  }

  @Test
  void aPlannedPodTakesItsGpusFromTheNextDecisions() {
    ClusterView view = new ClusterView();
    view.upsertNode(Fixture.node("n1", 8, false));
    view.upsertNode(Fixture.node("n2", 8, false));
    ExtenderService service = Fixture.service(view, PodBinder.NONE);
    List<String> both = List.of("n1", "n2");
    Pod p1 = low("p1");
    Pod p2 = low("p2");
    Pod p3 = low("p3");
    List.of(p1, p2, p3).forEach(view::upsertPod);

    var first = service.filter(new ExtenderWire.ExtenderArgs(p1, both, null));
    assertThat(first.nodeNames()).containsExactlyInAnyOrder("n1", "n2");
    String p1Node = service.plannedNodes("team-c/pod/p1").get("team-c/p1");

    var second = service.filter(new ExtenderWire.ExtenderArgs(p2, both, null));
    String other = p1Node.equals("n1") ? "n2" : "n1";
    assertThat(second.nodeNames()).containsExactly(other);
    assertThat(second.failedNodes())
        .containsExactly(Map.entry(p1Node, "Strata: fewer than 8 completely free GPUs"));

    var third = service.filter(new ExtenderWire.ExtenderArgs(p3, both, null));
    assertThat(third.nodeNames()).isEmpty();
    assertThat(third.failedAndUnresolvableNodes().values())
        .containsOnly(
            "LOW gang team-c/pod/p3 of tenant team-c is pending: LOW work never preempts; it waits"
                + " for idle capacity. 0 of 2 nodes can run p3: 2 nodes have fewer than 8"
                + " completely free GPUs.");

    // The first pod's own filter and prioritize still see its planned node free.
    var again = service.filter(new ExtenderWire.ExtenderArgs(p1, both, null));
    assertThat(again.nodeNames()).contains(p1Node);
    var scores = service.prioritize(new ExtenderWire.ExtenderArgs(p1, both, null));
    assertThat(scores).contains(new ExtenderWire.HostPriority(p1Node, 10));
  }

  @Test
  void wholeGpusStayWithinAnNvLinkGroupOfTheNode() {
    ClusterView view = new ClusterView();
    nvLinkNodeWithGpus367Free(view, "n1");
    Pod pair = pair();
    view.upsertPod(pair);
    ExtenderService service = Fixture.service(view, PodBinder.NONE);

    var result = service.filter(new ExtenderWire.ExtenderArgs(pair, List.of("n1"), null));

    assertThat(result.nodeNames()).containsExactly("n1");
    assertThat(service.plannedGpus("team-c/pod/pair"))
        .containsExactly(Map.entry("team-c/pair", "6,7"));
  }

  /**
   * Adds NVLink node {@code name} (groups 0-3 and 4-7) with GPUs 3, 6 and 7 left free: the lowest
   * two (3 and 6) would straddle the groups.
   */
  private static void nvLinkNodeWithGpus367Free(ClusterView view, String name) {
    var node = Fixture.node(name, 8, false);
    node.getMetadata().setAnnotations(Map.of("strata.dev/nvlink-groups", "0-3,4-7"));
    view.upsertNode(node);
    view.upsertPod(
        Fixture.withNode(
            Fixture.pod("team-x", "serve", "uid-serve", 5, Map.of("strata.dev/tier", "high")),
            name,
            "0,1,2,4,5"));
  }

  /** A LOW pod of two whole GPUs. */
  private static Pod pair() {
    Pod pair = low("pair");
    pair.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getLimits()
        .put("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("2"));
    return pair;
  }

  @Test
  void aLonePodBoundToAnotherNodeTakesGpusOfOneNvLinkGroupThere() {
    ClusterView view = new ClusterView();
    view.upsertNode(Fixture.node("n1", 8, false));
    nvLinkNodeWithGpus367Free(view, "n2");
    Pod pair = pair();
    view.upsertPod(pair);
    List<String> bound = new java.util.ArrayList<>();
    PodBinder recording =
        new PodBinder() {
          @Override
          public void bind(String namespace, String name, String uid, String node, String gpus) {
            bound.add(name + "@" + node + ":" + gpus);
          }

          @Override
          public void evict(String namespace, String name, String uid) {}
        };
    ExtenderService service = Fixture.service(view, recording);
    service.filter(new ExtenderWire.ExtenderArgs(pair, List.of("n1"), null));
    assertThat(service.plannedNodes("team-c/pod/pair")).containsEntry("team-c/pair", "n1");

    // kube-scheduler's own scoring chose n2: the plan moves there.
    String error = service.bind(new ExtenderWire.BindingArgs("pair", "team-c", "uid-pair", "n2"));

    assertThat(error).isEmpty();
    assertThat(bound).containsExactly("pair@n2:6,7");
  }
}
