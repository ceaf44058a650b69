package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

/** What changes the view's version: only node updates that change what the scheduler reads. */
class ClusterViewTest {

  private static Node heartbeat(Node node, String time) {
    return new NodeBuilder(node)
        .editStatus()
        .withConditions()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastHeartbeatTime(time)
        .endCondition()
        .addNewImage()
        .withNames("trainer:" + time)
        .endImage()
        .endStatus()
        .build();
  }

  @Test
  void aNodeStatusReportThatChangesNothingReadLeavesTheVersionAndThePodJournalAlone() {
    ClusterView view = new ClusterView();
    Node node = heartbeat(Fixture.node("gpu-a", 8, false), "2026-01-01T00:00:00Z");
    view.upsertNode(node);
    long before = view.version();

    view.upsertNode(heartbeat(node, "2026-01-01T00:00:10Z"));
    view.upsertNode(heartbeat(node, "2026-01-01T00:00:20Z"));

    assertThat(view.version()).isEqualTo(before);
    assertThat(view.podChangesSince(before)).as("pod changes can still be followed").isNotNull();
  }

  @Test
  void aNodeChangeTheSchedulerReadsBumpsTheVersionAndEndsPodByPodFollowing() {
    ClusterView view = new ClusterView();
    Node node = heartbeat(Fixture.node("gpu-a", 8, false), "2026-01-01T00:00:00Z");
    view.upsertNode(node);

    long v = view.version();
    view.upsertNode(
        new NodeBuilder(node)
            .editStatus()
            .addToAllocatable("nvidia.com/gpu", new Quantity("4"))
            .endStatus()
            .build());
    assertThat(view.version()).as("allocatable").isGreaterThan(v);
    assertThat(view.podChangesSince(v)).isNull();

    v = view.version();
    view.upsertNode(Fixture.node("gpu-a", 8, true));
    assertThat(view.version()).as("cordoned").isGreaterThan(v);

    v = view.version();
    view.upsertNode(
        new NodeBuilder(Fixture.node("gpu-a", 8, true))
            .editMetadata()
            .addToLabels("strata.dev/switch", "s1")
            .endMetadata()
            .build());
    assertThat(view.version()).as("a label, even on an unusable node, is not read").isEqualTo(v);

    v = view.version();
    view.upsertNode(
        new NodeBuilder(node)
            .editStatus()
            .withConditions()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build());
    assertThat(view.version()).as("cordoned -> NotReady: another reason").isGreaterThan(v);

    v = view.version();
    view.upsertNode(
        new NodeBuilder(node)
            .editMetadata()
            .addToLabels("strata.dev/switch", "s2")
            .endMetadata()
            .build());
    assertThat(view.version()).as("usable again, with a switch label").isGreaterThan(v);
  }
}
