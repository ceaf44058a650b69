package dev.strata.scheduler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * kube-scheduler's leader election flags, for {@code strata-scheduler} and the extender (a picocli
 * mixin): the replica holding the Lease works, the others wait.
 */
public final class LeaderElectionOptions {

  @Option(
      names = "--leader-elect",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Work only while holding a Lease, so that several replicas can run and one works"
              + " (default: ${DEFAULT-VALUE}; --no-leader-elect for a single process).")
  public boolean enabled;

  @Option(
      names = "--leader-elect-namespace",
      description = "Namespace of the Lease (default: $POD_NAMESPACE, else default).")
  String namespace;

  @Option(names = "--leader-elect-lease-name", description = "Name of the Lease.")
  String leaseName;

  @Option(
      names = "--leader-elect-lease-duration",
      defaultValue = "15s",
      converter = DurationFlag.class,
      description = "How long a leader's Lease holds off the others (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(
      names = "--leader-elect-renew-deadline",
      defaultValue = "10s",
      converter = DurationFlag.class,
      description =
          "How long the leader tries to renew before it stops (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(
      names = "--leader-elect-retry-period",
      defaultValue = "2s",
      converter = DurationFlag.class,
      description =
          "How often replicas try to take or renew the Lease (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  /** This replica's name in the Lease. */
  public String identity = Leadership.defaultIdentity();

  /**
   * Starts competing for the Lease ({@code defaultLeaseName} unless the flag names another).
   *
   * @throws IllegalArgumentException for timings that do not decrease in the flags' order
   */
  public Leadership start(
      KubernetesClient client, String defaultLeaseName, Runnable onStart, Runnable onStop) {
    Leadership.Timing timing = new Leadership.Timing(leaseDuration, renewDeadline, retryPeriod);
    String ns = namespace;
    if (ns == null || ns.isBlank()) {
      String env = System.getenv("POD_NAMESPACE");
      ns = env == null || env.isBlank() ? "default" : env;
    }
    String lease = leaseName == null || leaseName.isBlank() ? defaultLeaseName : leaseName;
    return Leadership.start(client, ns, lease, identity, timing, onStart, onStop);
  }
}
