package dev.strata.scheduler.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Two replicas of {@code strata-scheduler} against one API server: only the one holding the Lease
 * schedules; when it stops, the other takes the Lease and schedules the pods that arrive.
 */
class StandaloneLeaderElectionTest {

  private final MockCluster cluster = new MockCluster();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable r : running) {
      r.close();
    }
    clients.forEach(KubernetesClient::close);
    cluster.close();
  }

  private AutoCloseable replica(String identity, AtomicInteger lostLead) {
    StandaloneMain main = new StandaloneMain();
    new CommandLine(main)
        .parseArgs(
            "--leader-elect-namespace=strata-system",
            "--leader-elect-lease-duration=3s",
            "--leader-elect-renew-deadline=2s",
            "--leader-elect-retry-period=200ms");
    main.leaderElection.identity = identity;
    KubernetesClient client = cluster.server.createClient(new VertxHttpClientFactory());
    clients.add(client);
    AutoCloseable r =
        main.start(
            client,
            new StandaloneConfig(
                KubeKeys.SCHEDULER_NAME,
                Policies.DEFAULT,
                List.of(new TenantQuota(MockCluster.NS, 16)),
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                Duration.ofMillis(100)),
            lostLead::incrementAndGet);
    running.add(r);
    return r;
  }

  private String holder() {
    Lease lease =
        cluster.client.leases().inNamespace("strata-system").withName("strata-scheduler").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Lists of all pods (informers starting) the API server received since the last call. */
  private int podListsSinceLastAsked() throws InterruptedException {
    int lists = 0;
    for (var r = cluster.server.takeRequest(0, TimeUnit.SECONDS);
        r != null;
        r = cluster.server.takeRequest(0, TimeUnit.SECONDS)) {
      String path = r.getPath();
      if (r.getMethod().equals("GET")
          && path.startsWith("/api/v1/pods")
          && !path.contains("watch=true")) {
        lists++;
      }
    }
    return lists;
  }

  @Test
  void onlyTheLeaderSchedulesAndTheOtherTakesOverWhenItStops() throws Exception {
    cluster.node("n1", 8, "V100");
    AtomicInteger lostA = new AtomicInteger();
    AtomicInteger lostB = new AtomicInteger();
    AutoCloseable a = replica("replica-a", lostA);
    await().atMost(Duration.ofSeconds(10)).until(() -> "replica-a".equals(holder()));
    AutoCloseable b = replica("replica-b", lostB);

    cluster.create(MockCluster.pod("first", 2));
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.nodeOf("first") != null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !cluster.events("first", "Scheduled").isEmpty());
    assertThat(cluster.events("first", "Scheduled")).hasSize(1);
    assertThat(holder()).isEqualTo("replica-a");
    assertThat(podListsSinceLastAsked()).as("only the leader's scheduler started").isEqualTo(1);

    a.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> "replica-b".equals(holder()));
    cluster.create(MockCluster.pod("second", 2));
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.nodeOf("second") != null);
    assertThat(List.of(cluster.gpus("first"), cluster.gpus("second")))
        .as("the new leader sees what the old one bound")
        .containsExactlyInAnyOrder("0,1", "2,3");
    assertThat(lostB).as("replica b still leads").hasValue(0);
    assertThat(podListsSinceLastAsked()).as("the new leader's scheduler started").isEqualTo(1);
  }
}
