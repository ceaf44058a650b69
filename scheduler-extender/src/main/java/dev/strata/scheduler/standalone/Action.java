package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Tier;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** What one scheduling pass asks the {@link Applier} to do, in order. */
sealed interface Action {

  /** A pod with where it goes. */
  record Member(Pod pod, Placement placement) {}

  /** Write each member's GPU indices, then bind it; members in gang order. */
  record Bind(String gang, List<Member> members) implements Action {
    public Bind {
      members = List.copyOf(members);
    }
  }

  /**
   * Evict {@code victims} (whole gangs) so that {@code gang}, of {@code tenant} and {@code tier},
   * can start at {@code nominated} once they are gone.
   */
  record Preempt(String gang, String tenant, Tier tier, List<Pod> victims, List<Member> nominated)
      implements Action {
    public Preempt {
      victims = List.copyOf(victims);
      nominated = List.copyOf(nominated);
    }
  }

  /**
   * Tell the pod's owner why it is not scheduled: PodScheduled=False/Unschedulable and an Event.
   */
  record Report(Pod pod, String message) implements Action {}
}
