package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.kube.KubeKeys;
import dev.strata.scheduler.policy.Policies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the standalone scheduler runs.
 *
 * @param schedulerName only pods with this {@code spec.schedulerName} are scheduled
 * @param policy a name {@link Policies#create} knows
 * @param gangTimeout after this long (from the oldest member's creation) a gang still short of its
 *     minimum members is reported on its pods
 * @param resync how often the informers replay their whole cache, so a missed event is caught up
 * @param tick the longest the loop sleeps without an event, for timeouts to be noticed
 */
public record StandaloneConfig(
    String schedulerName,
    String policy,
    List<TenantQuota> quotas,
    Duration gangTimeout,
    Duration resync,
    Duration tick) {

  public StandaloneConfig {
    Objects.requireNonNull(schedulerName, "schedulerName");
    Objects.requireNonNull(policy, "policy");
    quotas = List.copyOf(quotas);
    Objects.requireNonNull(gangTimeout, "gangTimeout");
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(tick, "tick");
    // Fail at start-up, not on the first pod.
    Policies.create(policy, List.of());
  }

  /** Scheduler name strata-scheduler, the default policy, 60 s gang timeout, 5 min resync. */
  public static StandaloneConfig defaults(List<TenantQuota> quotas) {
    return new StandaloneConfig(
        KubeKeys.SCHEDULER_NAME,
        Policies.DEFAULT,
        quotas,
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofSeconds(1));
  }

  public StandaloneConfig withGangTimeout(Duration timeout) {
    return new StandaloneConfig(schedulerName, policy, quotas, timeout, resync, tick);
  }
}
