package dev.strata.operators.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events. An Event that cannot be written is logged and dropped: events inform, and
 * must never fail a reconcile.
 *
 * <p>Repeats are aggregated as client-go's event recorder does: the same type, reason and message
 * about the same object updates the Event written the first time (count + 1, lastTimestamp) instead
 * of adding another, so {@code kubectl describe} shows {@code (x5 over 2m)}. The Events written are
 * remembered for the last {@value #REMEMBERED} keys; one that is gone (expired by the API server's
 * event TTL) is written anew.
 */
public final class KubernetesEventRecorder implements EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);

  /** Event messages are limited to 1 KiB by the API server's validation of the message field. */
  private static final int MAX_MESSAGE = 1024;

  static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;

  /** An Event written, by what makes a repeat the same Event. */
  private record Written(String name, int count) {}

  private final Map<String, Written> written =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
          return size() > REMEMBERED;
        }
      };

  public KubernetesEventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
  }

  @Override
  public void normal(HasMetadata about, Enum<?> reason, String message) {
    record(about, "Normal", reason, message);
  }

  @Override
  public void warning(HasMetadata about, Enum<?> reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, Enum<?> reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    String namespace = about.getMetadata().getNamespace();
    String key =
        String.join(
            "\0",
            about.getKind(),
            String.valueOf(namespace),
            about.getMetadata().getName(),
            String.valueOf(about.getMetadata().getUid()),
            type,
            reason.name(),
            text);
    Written before;
    synchronized (written) {
      before = written.get(key);
    }
    if (before != null && repeat(namespace, before, now)) {
      synchronized (written) {
        written.put(key, new Written(before.name(), before.count() + 1));
      }
      return;
    }
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                about.getMetadata().getName()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong())
                        .toLowerCase(Locale.ROOT))
            .withNamespace(about.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(about.getApiVersion())
                    .withKind(about.getKind())
                    .withName(about.getMetadata().getName())
                    .withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason.name())
            .withMessage(text)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .withReportingComponent(component)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
      synchronized (written) {
        written.put(key, new Written(event.getMetadata().getName(), 1));
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          about.getMetadata().getNamespace(),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Counts a repeat on the Event written before; false when that Event is gone. */
  private boolean repeat(String namespace, Written before, String now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .withName(before.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + (before.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}");
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("could not count a repeat on event {}: {}", before.name(), e.getMessage());
        return true;
      }
      return false;
    }
  }
}
