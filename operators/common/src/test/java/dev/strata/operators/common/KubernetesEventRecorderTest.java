package dev.strata.operators.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events against the CRUD mock API server: repeats are counted on one Event, as client-go does. */
@EnableKubernetesMockClient(crud = true)
class KubernetesEventRecorderTest {
  KubernetesClient client;

  enum Reason {
    Broken,
    Fixed
  }

  private static ConfigMap object(String name, String uid) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid(uid)
        .endMetadata()
        .build();
  }

  private List<Event> events() {
    return client.v1().events().inNamespace("ns").list().getItems().stream()
        .sorted(Comparator.comparing(e -> e.getMessage() + e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void aRepeatIsCountedOnTheFirstEventAndAnythingElseIsANewEvent() {
    MutableClock clock = new MutableClock();
    KubernetesEventRecorder recorder = new KubernetesEventRecorder(client, "strata", clock);
    ConfigMap a = object("a", "uid-a");

    recorder.warning(a, Reason.Broken, "disk full");
    clock.now = clock.now.plusSeconds(30);
    recorder.warning(a, Reason.Broken, "disk full");
    clock.now = clock.now.plusSeconds(30);
    recorder.warning(a, Reason.Broken, "disk full");
    recorder.warning(a, Reason.Broken, "disk on fire");
    recorder.normal(a, Reason.Fixed, "disk full");
    recorder.warning(object("b", "uid-b"), Reason.Broken, "disk full");

    List<Event> events = events();
    assertThat(events).hasSize(4);
    Event repeated =
        events.stream()
            .filter(
                e ->
                    e.getMessage().equals("disk full")
                        && e.getType().equals("Warning")
                        && e.getInvolvedObject().getName().equals("a"))
            .findFirst()
            .orElseThrow();
    assertThat(repeated.getCount()).isEqualTo(3);
    assertThat(repeated.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(repeated.getLastTimestamp()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(events)
        .filteredOn(e -> e != repeated)
        .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void aRepeatOfAnEventThatIsGoneWritesItAnew() {
    KubernetesEventRecorder recorder =
        new KubernetesEventRecorder(client, "strata", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    ConfigMap a = object("a", "uid-a");
    recorder.warning(a, Reason.Broken, "disk full");
    client.v1().events().inNamespace("ns").delete();
    assertThat(events()).isEmpty();

    recorder.warning(a, Reason.Broken, "disk full");

    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
