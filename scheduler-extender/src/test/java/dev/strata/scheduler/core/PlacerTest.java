package dev.strata.scheduler.core;

import static dev.strata.scheduler.core.Nodes.gpuPod;
import static dev.strata.scheduler.core.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlacerTest {

  /** Scores every node alike, so only the tie-break decides. */
  private static ScoringPolicy flat(AtomicInteger calls) {
    return new ScoringPolicy() {
      @Override
      public String name() {
        return "flat";
      }

      @Override
      public long score(PodRequest pod, NodeState node) {
        calls.incrementAndGet();
        return 7;
      }
    };
  }

  /** Prefers nodes with less free CPU. */
  private static final ScoringPolicy LEAST_CPU =
      new ScoringPolicy() {
        @Override
        public String name() {
          return "least-cpu";
        }

        @Override
        public long score(PodRequest pod, NodeState node) {
          return -node.cpuFree();
        }

        @Override
        public boolean scoresOnlyFreeResources() {
          return true;
        }
      };

  @Test
  void tiesGoToTheLowestRank() {
    ClusterState cluster =
        new ClusterState(List.of(node("a", 2, "T4"), node("b", 2, "T4"), node("c", 2, "T4")));
    Placer placer = new Placer(flat(new AtomicInteger()), TieBreak.ranks(new int[] {2, 0, 1}));

    Decision decision = placer.decide(gpuPod("p", 1000, 1, 1000), cluster);

    assertThat(decision)
        .isInstanceOfSatisfying(Placement.class, p -> assertThat(p.nodeName()).isEqualTo("b"));
  }

  @Test
  void theHighestScoreWinsAndTheSnapshotIsLeftAlone() {
    ClusterState cluster = new ClusterState(List.of(node("a", 2, "T4"), node("b", 2, "T4")));
    cluster.bind(new Placement(PodRequest.cpuOnly("busy", 10_000, 1), 1, "b", new int[0]));
    Placer placer = new Placer(LEAST_CPU, TieBreak.nodeOrder(2));

    Placement placement = (Placement) placer.decide(PodRequest.cpuOnly("p", 1000, 1), cluster);

    assertThat(placement.nodeName()).isEqualTo("b");
    assertThat(cluster.node("b").cpuFree()).isEqualTo(54_000);
  }

  @Test
  void aSingleFeasibleNodeIsTakenWithoutScoring() {
    ClusterState cluster = new ClusterState(List.of(node("a", 1, "P100"), node("b", 2, "T4")));
    AtomicInteger calls = new AtomicInteger();
    Placer placer = new Placer(flat(calls), TieBreak.nodeOrder(2));

    Placement placement = (Placement) placer.decide(gpuPod("p", 1000, 2, 1000), cluster);

    assertThat(placement.nodeName()).isEqualTo("b");
    assertThat(calls).hasValue(0);
  }

  @Test
  void wholeGpusAreTheLowestFreeIndices() {
    ClusterState cluster = new ClusterState(List.of(node("a", 4, "T4")));
    cluster.bind(new Placement(gpuPod("s", 0, 1, 300), 0, "a", new int[] {1}));
    Placer placer = new Placer(LEAST_CPU, TieBreak.nodeOrder(1));

    Placement placement = (Placement) placer.decide(gpuPod("p", 1000, 2, 1000), cluster);

    assertThat(placement.gpuIndices()).containsExactly(0, 2);
  }

  @Test
  void aShareGoesToTheTightestFittingGpuByDefault() {
    ClusterState cluster = new ClusterState(List.of(node("a", 4, "T4")));
    cluster.bind(new Placement(gpuPod("s1", 0, 1, 300), 0, "a", new int[] {1}));
    cluster.bind(new Placement(gpuPod("s2", 0, 1, 500), 0, "a", new int[] {2}));
    cluster.bind(new Placement(gpuPod("s3", 0, 1, 500), 0, "a", new int[] {3}));
    Placer placer = new Placer(LEAST_CPU, TieBreak.nodeOrder(1));

    assertThat(((Placement) placer.decide(gpuPod("p", 1, 1, 400), cluster)).gpuIndices())
        .containsExactly(2);
    assertThat(((Placement) placer.decide(gpuPod("p", 1, 1, 600), cluster)).gpuIndices())
        .containsExactly(1);
  }

  @Test
  void bindingTracksAllocatedGpuMilliAndUnbindGivesItBack() {
    ClusterState cluster = new ClusterState(List.of(node("a", 4, "T4")));
    Placement twoGpus = new Placement(gpuPod("p", 1000, 2, 1000), 0, "a", new int[] {0, 1});
    Placement share = new Placement(gpuPod("q", 1000, 1, 250), 0, "a", new int[] {2});

    cluster.bind(twoGpus);
    cluster.bind(share);
    assertThat(cluster.allocatedGpuMilli()).isEqualTo(2250);
    assertThat(cluster.node("a").fullyFreeGpus()).isEqualTo(1);

    cluster.unbind(twoGpus);
    assertThat(cluster.allocatedGpuMilli()).isEqualTo(250);
    assertThat(cluster.node("a").fullyFreeGpus()).isEqualTo(3);
  }

  @Test
  void aGangCanBeTriedOnACopyWithoutTouchingTheOriginal() {
    ClusterState cluster = new ClusterState(List.of(node("a", 2, "T4"), node("b", 2, "T4")));
    Placer placer = new Placer(LEAST_CPU, TieBreak.nodeOrder(2));
    ClusterState trial = cluster.copy();
    int placed = 0;
    for (int worker = 0; worker < 3; worker++) {
      if (placer.decide(gpuPod("w" + worker, 1000, 2, 1000), trial) instanceof Placement p) {
        trial.bind(p);
        placed++;
      }
    }

    assertThat(placed).isEqualTo(2);
    assertThat(cluster.allocatedGpuMilli()).isZero();
    assertThat(trial.allocatedGpuMilli()).isEqualTo(4000);
  }

  @Test
  void cachedScoresAreDroppedWhenThePolicyRelearns() {
    long[] generation = {0};
    ScoringPolicy learning =
        new ScoringPolicy() {
          @Override
          public String name() {
            return "learning";
          }

          @Override
          public long score(PodRequest pod, NodeState node) {
            // First it prefers more free CPU; after relearning, less.
            return generation[0] == 0 ? node.cpuFree() : -node.cpuFree();
          }

          @Override
          public boolean scoresOnlyFreeResources() {
            return true;
          }

          @Override
          public long generation() {
            return generation[0];
          }
        };
    ClusterState cluster = new ClusterState(List.of(node("a", 2, "T4"), node("b", 2, "T4")));
    cluster.bind(new Placement(PodRequest.cpuOnly("busy", 10_000, 1), 1, "b", new int[0]));
    Placer placer = new Placer(learning, TieBreak.nodeOrder(2));
    PodRequest pod = PodRequest.cpuOnly("p", 1000, 1);

    assertThat(((Placement) placer.decide(pod, cluster)).nodeName()).isEqualTo("a");
    generation[0] = 1;
    assertThat(((Placement) placer.decide(pod, cluster)).nodeName()).isEqualTo("b");
  }

  @Test
  void anUnschedulablePodIsExplainedPerReason() {
    ClusterState cluster =
        new ClusterState(
            List.of(
                new NodeSpec("small", 4_000, 8_192, 2, "T4"),
                node("p100", 2, "P100"),
                node("busy", 2, "T4")));
    cluster.bind(new Placement(gpuPod("s", 0, 1, 900), 2, "busy", new int[] {0}));
    cluster.bind(new Placement(gpuPod("t", 0, 1, 900), 2, "busy", new int[] {1}));
    Placer placer = new Placer(LEAST_CPU, TieBreak.nodeOrder(3));
    PodRequest pod = new PodRequest("train-0", 8_000, 16_384, 1, 500, Set.of("T4"));

    Unschedulable why = (Unschedulable) placer.decide(pod, cluster);

    assertThat(why.lackCpu()).isEqualTo(1);
    assertThat(why.lackMemory()).isEqualTo(1);
    assertThat(why.wrongGpuModel()).isEqualTo(1);
    assertThat(why.noGpuWithEnoughShare()).isEqualTo(1);
    assertThat(why.tooFewFreeGpus()).isZero();
    assertThat(why.describe())
        .isEqualTo(
            "0 of 3 nodes can run train-0: 1 node has too little free CPU (needs 8 cores);"
                + " 1 node has too little free memory (needs 16384 MiB);"
                + " 1 node has no GPU of model T4;"
                + " 1 node has no GPU with 50.0 % of its capacity free.");
  }
}
