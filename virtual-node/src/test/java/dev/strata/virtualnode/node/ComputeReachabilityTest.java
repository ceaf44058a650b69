package dev.strata.virtualnode.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.operators.common.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one reading of the compute cluster: the outage clock, the debounced Ready, the listeners. */
class ComputeReachabilityTest {
  static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(20);

  final SettableClock clock = new SettableClock(T0);
  final ComputeReachability reachability =
      new ComputeReachability("gpu-east", UNREACHABLE_AFTER, clock);
  final List<Boolean> heard = new CopyOnWriteArrayList<>();
  final AtomicInteger probesAskedFor = new AtomicInteger();

  {
    reachability.addListener(heard::add);
    reachability.onSuspectedOutage(probesAskedFor::incrementAndGet);
  }

  ComputeObservation answer() {
    return ComputeObservation.answered(clock.instant(), Map.of());
  }

  ComputeObservation noAnswer() {
    return ComputeObservation.failed(
        clock.instant(), ComputeObservation.UNREACHABLE, "compute cluster gpu-east unreachable");
  }

  @Test
  void beforeTheFirstProbeNothingAnswersAndNoOutageIsCounted() {
    assertThat(reachability.reachable()).isFalse();
    assertThat(reachability.unreachableSince()).isNull();
    assertThat(reachability.unreachableFor()).isZero();
    assertThat(reachability.health().reason()).isEqualTo(NodeHealth.NOT_PROBED);
  }

  @Test
  void theOutageStartsAtTheFirstFailedProbeAndReadyFollowsAfterTheDebounce() {
    reachability.observe(answer());
    clock.advance(Duration.ofSeconds(5));
    reachability.observe(noAnswer());
    Instant outageStart = clock.instant();
    clock.advance(Duration.ofSeconds(5));
    reachability.observe(noAnswer()); // later failures do not move the start

    assertThat(reachability.reachable()).isFalse();
    assertThat(reachability.unreachableSince()).isEqualTo(outageStart);
    assertThat(reachability.unreachableFor()).isEqualTo(Duration.ofSeconds(5));
    // One lost probe does not flip Ready: 10 s since the last answer, within the 20 s.
    assertThat(reachability.health().ready()).isTrue();

    clock.advance(Duration.ofSeconds(11));
    assertThat(reachability.health().ready()).isFalse();
    assertThat(reachability.health().reason()).isEqualTo(ComputeObservation.UNREACHABLE);
    assertThat(reachability.health().message())
        .contains("gpu-east")
        .contains("no answer since " + outageStart);
    assertThat(reachability.unreachableFor()).isEqualTo(Duration.ofSeconds(16));

    reachability.observe(answer());
    assertThat(reachability.reachable()).isTrue();
    assertThat(reachability.health().ready()).isTrue();
    assertThat(reachability.unreachableSince()).isNull();
    assertThat(reachability.unreachableFor()).isZero();
    assertThat(heard).containsExactly(true, false, true);
    assertThat(probesAskedFor).hasValue(0);
  }

  @Test
  void aRequestWithoutAnswerStartsTheOutageAndAsksForAProbeButLeavesReadyAlone() {
    reachability.observe(answer());
    clock.advance(Duration.ofSeconds(2));

    reachability.requestFailed("create pod: connection reset");
    Instant outageStart = clock.instant();
    assertThat(reachability.reachable()).isFalse();
    assertThat(reachability.unreachableSince()).isEqualTo(outageStart);
    assertThat(reachability.health().ready()).isTrue();
    assertThat(probesAskedFor).hasValue(1);

    // The probe it asked for fails too: the outage keeps the request's start.
    clock.advance(Duration.ofSeconds(1));
    reachability.observe(noAnswer());
    reachability.requestFailed("update pod: connection refused");
    assertThat(reachability.unreachableSince()).isEqualTo(outageStart);
    assertThat(probesAskedFor).hasValue(1);

    // Ready still counts from the last answer, not from the request.
    clock.advance(Duration.ofSeconds(17));
    assertThat(reachability.health().ready()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(reachability.health().ready()).isFalse();
    assertThat(reachability.unreachableFor()).isEqualTo(Duration.ofSeconds(19));
    assertThat(heard).containsExactly(true, false);
  }

  @Test
  void aProbeThatAnswersEndsAnOutageARequestStarted() {
    reachability.observe(answer());
    reachability.requestFailed("watch: connection reset");
    clock.advance(Duration.ofMillis(300));
    reachability.observe(answer());

    assertThat(reachability.reachable()).isTrue();
    assertThat(reachability.unreachableSince()).isNull();
    assertThat(heard).containsExactly(true, false, true);

    // A later outage starts afresh.
    clock.advance(Duration.ofSeconds(7));
    reachability.observe(noAnswer());
    assertThat(reachability.unreachableSince()).isEqualTo(clock.instant());
  }

  @Test
  void anAnswerToAProbeSentBeforeARequestFoundNoAnswerDoesNotEndThatOutage() {
    reachability.observe(answer());
    ComputeObservation sentEarlier = answer(); // dated when sent
    clock.advance(Duration.ofSeconds(1));
    reachability.requestFailed("POST pods: connection reset");
    Instant outageStart = clock.instant();

    reachability.observe(sentEarlier); // its answer arrives after the failure
    assertThat(reachability.reachable()).isFalse();
    assertThat(reachability.unreachableSince()).isEqualTo(outageStart);

    clock.advance(Duration.ofSeconds(1));
    reachability.observe(answer());
    assertThat(reachability.reachable()).isTrue();
    assertThat(heard).containsExactly(true, false, true);
  }
}
