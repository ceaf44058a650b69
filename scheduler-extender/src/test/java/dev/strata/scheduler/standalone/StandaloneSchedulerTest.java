package dev.strata.scheduler.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.scheduler.apiserver.BindingDispatcher;
import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandaloneSchedulerTest {

  MockCluster cluster;
  List<StandaloneScheduler> schedulers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = new MockCluster();
    Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
    Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
  }

  @AfterEach
  void tearDown() {
    schedulers.forEach(StandaloneScheduler::close);
    cluster.close();
  }

  StandaloneScheduler start(List<TenantQuota> quotas, Duration gangTimeout) {
    StandaloneScheduler s =
        new StandaloneScheduler(
            cluster.client,
            new StandaloneConfig(
                KubeKeys.SCHEDULER_NAME,
                Policies.DEFAULT,
                quotas,
                gangTimeout,
                Duration.ofMinutes(5),
                Duration.ofMillis(100)));
    schedulers.add(s);
    s.start();
    return s;
  }

  StandaloneScheduler start() {
    return start(
        List.of(new TenantQuota("team-a", 16), new TenantQuota(MockCluster.NS, 16)),
        Duration.ofSeconds(60));
  }

  /** Lets the scheduler look at the cluster as it is now a few times over. */
  static void severalPasses(StandaloneScheduler s) {
    long before = s.passes();
    await().until(() -> s.passes() >= before + 3);
  }

  @Test
  void aSinglePodIsBoundWithItsGpuIndices() {
    cluster.node("n1", 8, "V100");
    start();

    cluster.create(MockCluster.pod("p", 2));

    await().until(() -> "n1".equals(cluster.nodeOf("p")));
    assertThat(cluster.gpus("p")).isEqualTo("0,1");
    // The Event is written after the binding: the pod can show bound before it exists.
    await()
        .untilAsserted(
            () ->
                assertThat(cluster.events("p", "Scheduled"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("to n1 GPUs 0,1")));
  }

  @Test
  void onAnApiServerWithTheBindingSubresourceEveryPodIsBoundThroughIt() {
    cluster.close();
    BindingDispatcher api = new BindingDispatcher();
    cluster = new MockCluster(api);
    cluster.node("n1", 8, "V100");
    start();

    cluster.create(MockCluster.member("pair", 0, 2, 2, "team-a", "high"));
    cluster.create(MockCluster.member("pair", 1, 2, 2, "team-a", "high"));

    await().until(() -> cluster.nodeOf("pair-0") != null && cluster.nodeOf("pair-1") != null);
    assertThat(api.bindings).hasValue(2);
    assertThat(api.podUpdates).hasValue(0);
    assertThat(List.of(cluster.gpus("pair-0"), cluster.gpus("pair-1")))
        .containsExactlyInAnyOrder("0,1", "2,3");
  }

  @Test
  void aGangWhoseBindingFailsMidwayIsCompletedOnARetry() {
    cluster.close();
    BindingDispatcher api = new BindingDispatcher();
    api.failOnce.add("trio-2");
    cluster = new MockCluster(api);
    cluster.node("n1", 8, "V100");
    start();

    for (int i = 0; i < 3; i++) {
      cluster.create(MockCluster.member("trio", i, 2, 3, "team-a", "high"));
    }

    await().until(() -> IntStream.range(0, 3).allMatch(i -> cluster.nodeOf("trio-" + i) != null));
    assertThat(api.refused).hasValue(1);
    assertThat(api.bindings).hasValue(3);
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      for (String g : cluster.gpus("trio-" + i).split(",")) {
        assertThat(used.add(g)).as("GPU %s given twice", g).isTrue();
      }
    }
  }

  @Test
  void aGangOfFourIsBoundOnlyOnceAllFourExistAndThenAllAtOnce() {
    cluster.node("n1", 4, "V100");
    cluster.node("n2", 4, "V100");
    StandaloneScheduler s = start();

    for (int i = 0; i < 3; i++) {
      cluster.create(MockCluster.member("train", i, 2, 4, "team-a", "high"));
    }
    severalPasses(s);
    assertThat(cluster.pods()).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNull());

    cluster.create(MockCluster.member("train", 3, 2, 4, "team-a", "high"));

    await().until(() -> cluster.pods().stream().allMatch(p -> p.getSpec().getNodeName() != null));
    Map<String, Set<String>> gpusByNode = new HashMap<>();
    for (Pod p : cluster.pods()) {
      String gpus = p.getMetadata().getAnnotations().get(KubeKeys.GPU_INDICES_ANNOTATION);
      for (String g : gpus.split(",")) {
        assertThat(
                gpusByNode.computeIfAbsent(p.getSpec().getNodeName(), n -> new HashSet<>()).add(g))
            .as("GPU %s on %s used twice", g, p.getSpec().getNodeName())
            .isTrue();
      }
    }
    assertThat(gpusByNode.values()).allSatisfy(g -> assertThat(g).hasSize(4));
  }

  @Test
  void aGangThatCannotFitStaysUnboundWithTheReasonOnEveryPod() {
    cluster.node("n1", 4, "V100");
    cluster.node("n2", 4, "V100");
    start();

    for (int i = 0; i < 3; i++) {
      cluster.create(MockCluster.member("big", i, 4, 3, "team-a", "high"));
    }

    for (int i = 0; i < 3; i++) {
      String pod = "big-" + i;
      await().until(() -> cluster.unschedulable(pod) != null);
      assertThat(cluster.unschedulable(pod))
          .contains("gang compute/big cannot start: member big-2 finds no node after 2 of 3");
      assertThat(cluster.nodeOf(pod)).isNull();
      assertThat(cluster.events(pod, "FailedScheduling")).hasSize(1);
    }
  }

  @Test
  void twoGangsArrivingInterleavedOnAClusterForOneGetOneWholeGangBoundAndNeverHalfOfEach()
      throws Exception {
    cluster.node("n1", 4, "V100");
    cluster.node("n2", 4, "V100");
    Set<String> everBound = ConcurrentHashMap.newKeySet();
    Watch watch =
        cluster
            .client
            .pods()
            .inNamespace(MockCluster.NS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (pod.getSpec().getNodeName() != null) {
                      everBound.add(pod.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    start();

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> creators = new ArrayList<>();
    for (String gang : List.of("a", "b")) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 4; i++) {
                  cluster.create(MockCluster.member(gang, i, 2, 4, "team-a", "high"));
                }
              });
      t.start();
      creators.add(t);
    }
    go.countDown();
    for (Thread t : creators) {
      t.join();
    }

    await()
        .until(
            () ->
                IntStream.range(0, 4).allMatch(i -> cluster.nodeOf("a-" + i) != null)
                    || IntStream.range(0, 4).allMatch(i -> cluster.nodeOf("b-" + i) != null));
    String winner = cluster.nodeOf("a-0") != null ? "a" : "b";
    String loser = winner.equals("a") ? "b" : "a";
    await()
        .until(
            () ->
                IntStream.range(0, 4)
                    .allMatch(i -> cluster.unschedulable(loser + "-" + i) != null));
    for (int i = 0; i < 4; i++) {
      assertThat(cluster.nodeOf(loser + "-" + i)).isNull();
      assertThat(cluster.unschedulable(loser + "-" + i))
          .contains("gang compute/" + loser + " cannot start");
    }
    watch.close();
    assertThat(everBound).allMatch(name -> name.startsWith(winner + "-"));
  }

  @Test
  void highWorkPreemptsAWholeLowGang() {
    cluster.node("n1", 4, "V100");
    cluster.node("n2", 4, "V100");
    start();
    cluster.create(MockCluster.member("low", 0, 4, 2, "team-b", "low"));
    cluster.create(MockCluster.member("low", 1, 4, 2, "team-b", "low"));
    await().until(() -> cluster.nodeOf("low-0") != null && cluster.nodeOf("low-1") != null);

    cluster.create(MockCluster.member("high", 0, 2, 2, "team-a", "high"));
    cluster.create(MockCluster.member("high", 1, 2, 2, "team-a", "high"));

    await().until(() -> cluster.nodeOf("high-0") != null && cluster.nodeOf("high-1") != null);
    assertThat(cluster.get("low-0")).isNull();
    assertThat(cluster.get("low-1")).isNull();
    assertThat(cluster.events("low-0", "Preempted"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Preempted by HIGH work of another tenant, which needs its GPUs back: LOW"
                            + " work runs on GPUs it borrows and gives them back when a tenant's"
                            + " guaranteed work needs them"));
    assertThat(cluster.events("low-1", "Preempted")).hasSize(1);
  }

  @Test
  void aNewSchedulerCarriesOnFromTheApiWithoutGivingAGpuTwice() {
    cluster.node("n1", 8, "V100");
    StandaloneScheduler first = start();
    cluster.create(MockCluster.pod("p1", 4));
    await().until(() -> cluster.nodeOf("p1") != null);
    first.close();
    assertThat(cluster.gpus("p1")).isEqualTo("0,1,2,3");

    // Written while no scheduler ran: one pod placed by an old instance that died before binding
    // it (indices, no node), and a new one.
    cluster.create(
        MockCluster.pod("stale", 2)
            .editMetadata()
            .addToAnnotations(KubeKeys.GPU_INDICES_ANNOTATION, "0,1")
            .endMetadata());
    start();
    cluster.create(MockCluster.pod("p2", 2));

    await().until(() -> cluster.nodeOf("stale") != null && cluster.nodeOf("p2") != null);
    Set<String> used = new HashSet<>();
    for (String pod : List.of("p1", "stale", "p2")) {
      for (String g : cluster.gpus(pod).split(",")) {
        assertThat(used.add(g)).as("GPU %s given twice", g).isTrue();
      }
    }
    assertThat(cluster.gpus("stale")).isNotEqualTo("0,1");
    // Nothing is left for a third 4-GPU pod: the new instance counts all three.
    cluster.create(MockCluster.pod("p3", 4));
    await().until(() -> cluster.unschedulable("p3") != null);
    assertThat(cluster.unschedulable("p3")).contains("0 of 1 nodes can run p3");
  }

  @Test
  void aGangBoundHalfwayByAnEarlierInstanceIsCompletedFirst() {
    cluster.node("n1", 4, "V100");
    cluster.node("n2", 4, "V100");
    // As an instance that stopped after binding two of four members leaves it.
    for (int i = 0; i < 2; i++) {
      cluster.create(
          MockCluster.member("half", i, 2, 4, "team-a", "high")
              .editMetadata()
              .addToAnnotations(KubeKeys.GPU_INDICES_ANNOTATION, i == 0 ? "0,1" : "2,3")
              .endMetadata()
              .editSpec()
              .withNodeName("n1")
              .endSpec());
    }
    for (int i = 2; i < 4; i++) {
      cluster.create(MockCluster.member("half", i, 2, 4, "team-a", "high"));
    }
    // A competitor that would fit in the room the rest of the gang needs, created first.
    cluster.create(MockCluster.member("other", 0, 4, 1, "team-a", "high"));
    start();

    await().until(() -> cluster.nodeOf("half-2") != null && cluster.nodeOf("half-3") != null);
    assertThat(cluster.nodeOf("half-2")).isEqualTo("n2");
    assertThat(cluster.nodeOf("half-3")).isEqualTo("n2");
    assertThat(List.of(cluster.gpus("half-2"), cluster.gpus("half-3")))
        .containsExactlyInAnyOrder("0,1", "2,3");
    await().until(() -> cluster.unschedulable("other-0") != null);
    assertThat(cluster.nodeOf("other-0")).isNull();
  }

  @Test
  void podsOfAnotherSchedulerAreLeftAlone() {
    cluster.node("n1", 8, "V100");
    StandaloneScheduler s = start();

    cluster.create(
        MockCluster.pod("theirs", 1).editSpec().withSchedulerName("default-scheduler").endSpec());
    severalPasses(s);

    Pod theirs = cluster.get("theirs");
    assertThat(theirs.getSpec().getNodeName()).isNull();
    assertThat(theirs.getMetadata().getAnnotations())
        .doesNotContainKey(KubeKeys.GPU_INDICES_ANNOTATION);
    assertThat(cluster.unschedulable("theirs")).isNull();
  }

  @Test
  void aMalformedPodGetsItsReasonAndSchedulingGoesOn() {
    cluster.node("n1", 8, "V100");
    start();

    cluster.create(
        MockCluster.pod("bad", 0)
            .editSpec()
            .editFirstContainer()
            .editResources()
            .addToLimits(KubeKeys.GPU_MILLI_RESOURCE, new Quantity("1500"))
            .endResources()
            .endContainer()
            .endSpec());
    cluster.create(MockCluster.pod("good", 1));

    await().until(() -> cluster.unschedulable("bad") != null);
    assertThat(cluster.unschedulable("bad"))
        .isEqualTo(
            "pod bad asks for strata.dev/gpu-milli 1500; a share is 1..999 (use nvidia.com/gpu"
                + " for whole GPUs)");
    await().until(() -> cluster.nodeOf("good") != null);
    assertThat(cluster.nodeOf("bad")).isNull();
  }

  @Test
  void aGangShortOfMembersIsReportedAfterTheTimeout() {
    cluster.node("n1", 8, "V100");
    start(List.of(new TenantQuota("team-a", 8)), Duration.ofSeconds(1));

    cluster.create(MockCluster.member("job", 0, 1, 4, "team-a", "high"));
    cluster.create(MockCluster.member("job", 1, 1, 4, "team-a", "high"));

    await()
        .until(
            () -> cluster.unschedulable("job-0") != null && cluster.unschedulable("job-1") != null);
    assertThat(cluster.unschedulable("job-0"))
        .isEqualTo(
            "gang compute/job has 2 of its 4 minimum members after 1 s; 2 members are missing, and"
                + " a gang starts whole or not at all.");
    assertThat(cluster.unschedulable("job-1")).isEqualTo(cluster.unschedulable("job-0"));
    assertThat(cluster.nodeOf("job-0")).isNull();
  }
}
