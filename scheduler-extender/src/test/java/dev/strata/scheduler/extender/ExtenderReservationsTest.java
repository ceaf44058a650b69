package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The state the extender keeps between requests (bound pods plus every plan), moved forward one pod
 * event at a time, stays what a read of the whole cache would give, through filters of lone pods
 * and gangs of both tiers, binds (pods showing up bound in the cache), binds by someone else
 * (possibly onto room a plan holds, or overcommitting a node), status updates of running pods, pods
 * finishing or going away, and plans expiring.
 */
class ExtenderReservationsTest {

  /** A clock the test moves forward. */
  private static final class StepClock extends Clock {
    volatile Instant now = Instant.parse("2026-01-01T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void keptReservationsMatchARebuildAfterEveryStep() throws InterruptedException {
    walk(7, false);
  }

  /** The periodic whole reading, on its own thread as in the extender, races with every step. */
  @Test
  void keptReservationsMatchARebuildWithRefreshesAlongside() throws InterruptedException {
    walk(11, true);
  }

  private void walk(long seed, boolean refreshAlongside) throws InterruptedException {
    ClusterView view = new ClusterView();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String name = "n" + i;
      nodes.add(name);
      var node = Fixture.node(name, 8, false);
      node.getMetadata()
          .setLabels(Map.of("strata.dev/gpu-model", "V100", "strata.dev/switch", "s" + i / 4));
      view.upsertNode(node);
    }
    StepClock clock = new StepClock();
    ExtenderService service =
        new ExtenderService(
            view,
            Policies.createDefault(List.of()),
            Fixture.QUOTAS,
            PodBinder.NONE,
            clock,
            Duration.ofSeconds(30));
    Random random = new Random(seed);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger refreshes = new AtomicInteger();
    Thread refresher =
        new Thread(
            () -> {
              while (!stop.get()) {
                service.refresh();
                refreshes.incrementAndGet();
              }
            });
    if (refreshAlongside) {
      refresher.start();
    }
    List<Pod> pending = new ArrayList<>();
    List<Pod> running = new ArrayList<>();
    int planned = 0;
    int elsewhere = 0;
    for (int step = 0; step < 400; step++) {
      int action = random.nextInt(14);
      if (action < 3 || pending.isEmpty()) {
        pending.addAll(newWork(view, step, random));
      } else if (action < 7) {
        Pod pod = pending.get(random.nextInt(pending.size()));
        var result = service.filter(new ExtenderWire.ExtenderArgs(pod, nodes, null));
        planned += result.nodeNames().size();
      } else if (action < 9) {
        // A planned pod shows up bound where its plan put it; a pod without a plan goes away.
        Pod pod = pending.remove(random.nextInt(pending.size()));
        String gang = pod.getMetadata().getLabels().getOrDefault("strata.dev/gang-name", null);
        String gangName =
            "team-a/"
                + (gang == null ? "pod/" + pod.getMetadata().getName() : gang)
                    .replace("team-a/", "");
        String node = service.plannedNodes(gangName).get("team-a/" + pod.getMetadata().getName());
        if (node != null) {
          Pod bound =
              Fixture.withNode(
                  pod,
                  node,
                  service.plannedGpus(gangName).get("team-a/" + pod.getMetadata().getName()));
          view.upsertPod(bound);
          running.add(bound);
        } else {
          view.removePod(pod);
        }
      } else if (action == 9) {
        // Someone else binds a pending pod to a node of its choice, plan or no plan, mostly
        // recording the GPUs it chose (which may be taken), sometimes recording none.
        Pod pod = pending.remove(random.nextInt(pending.size()));
        int gpus =
            Integer.parseInt(
                pod.getSpec()
                    .getContainers()
                    .get(0)
                    .getResources()
                    .getLimits()
                    .get("nvidia.com/gpu")
                    .getAmount());
        int first = random.nextInt(9 - gpus);
        StringBuilder indices = new StringBuilder();
        for (int g = first; g < first + gpus && random.nextInt(4) > 0; g++) {
          indices.append(indices.length() == 0 ? "" : ",").append(g);
        }
        Pod bound =
            Fixture.withNode(pod, nodes.get(random.nextInt(nodes.size())), indices.toString());
        view.upsertPod(bound);
        running.add(bound);
        elsewhere++;
      } else if (action == 10 && !running.isEmpty()) {
        // A running pod's status changes: it started a while ago.
        int i = random.nextInt(running.size());
        Pod updated =
            new PodBuilder(running.get(i))
                .editStatus()
                .withStartTime(clock.now.minusSeconds(random.nextInt(600)).toString())
                .endStatus()
                .build();
        running.set(i, updated);
        view.upsertPod(updated);
      } else if (action == 11 && !running.isEmpty()) {
        // A running pod finishes or is deleted.
        Pod pod = running.remove(random.nextInt(running.size()));
        if (random.nextBoolean()) {
          view.upsertPod(
              new PodBuilder(pod).editStatus().withPhase("Succeeded").endStatus().build());
        } else {
          view.removePod(pod);
        }
      } else if (action == 12) {
        // The periodic reading of the whole cache.
        service.refresh();
      } else {
        clock.now = clock.now.plusSeconds(random.nextInt(40));
      }
      assertThat(service.reservationsMismatch()).as("after step " + step).isNull();
    }
    stop.set(true);
    if (refreshAlongside) {
      refresher.join();
      assertThat(refreshes.get()).as("refreshes run alongside").isGreaterThan(10);
      return;
    }
    assertThat(elsewhere).as("pods bound by someone else").isGreaterThan(10);
    assertThat(service.movesForward())
        .as("snapshots moved forward pod by pod (%d read whole)", service.fullReads())
        .isGreaterThan(2 * service.fullReads());
    assertThat(planned).as("filters that passed a node").isGreaterThan(20);
  }

  /** A lone pod or a gang of 2–3 members, HIGH or LOW, of 1–8 GPUs each. */
  private static List<Pod> newWork(ClusterView view, int step, Random random) {
    int members = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
    String tier = random.nextBoolean() ? "high" : "low";
    int gpus = new int[] {1, 2, 4, 8}[random.nextInt(4)];
    List<Pod> pods = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      String name = "w" + step + "-" + m;
      Map<String, String> labels =
          members == 1
              ? Map.of("strata.dev/tenant", "team-a", "strata.dev/tier", tier)
              : Map.of(
                  "strata.dev/tenant",
                  "team-a",
                  "strata.dev/tier",
                  tier,
                  "strata.dev/gang-name",
                  "g" + step);
      Pod pod = Fixture.pod("team-a", name, "uid-" + name, gpus, labels);
      if (members > 1) {
        pod.getMetadata()
            .setAnnotations(Map.of("strata.dev/gang-min-member", Integer.toString(members)));
      }
      view.upsertPod(pod);
      pods.add(pod);
    }
    return pods;
  }
}
