package dev.strata.sandbox;

import dev.strata.scheduler.core.TenantQuota;
import dev.strata.scheduler.extender.ClusterView;
import dev.strata.scheduler.extender.ExtenderServer;
import dev.strata.scheduler.extender.ExtenderService;
import dev.strata.scheduler.extender.KubernetesPodBinder;
import dev.strata.scheduler.extender.ViewInformers;
import dev.strata.scheduler.policy.Policies;
import dev.strata.scheduler.standalone.StandaloneConfig;
import dev.strata.scheduler.standalone.StandaloneScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute cluster's scheduler in the sandbox: Strata's standalone scheduler (scheduler name
 * {@code strata-scheduler}, the production code) places the forwarded pods, and the kube-scheduler
 * extender front listens beside it on the same compute client, so a kube-scheduler run by hand can
 * be pointed at it. Nothing in the sandbox calls the extender; pods name the standalone scheduler.
 */
public final class StrataComputeScheduler implements ComputeScheduler {
  private static final Logger log = LoggerFactory.getLogger(StrataComputeScheduler.class);

  /** How long an extender gang plan holds its GPUs without a bind: ExtenderMain's default. */
  private static final Duration PLAN_TTL = Duration.ofSeconds(30);

  private final KubernetesClient compute;
  private final int extenderPort;
  private final List<TenantQuota> quotas;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private ExtenderServer extender;

  private StrataComputeScheduler(
      KubernetesClient compute, int extenderPort, List<TenantQuota> quotas) {
    this.compute = compute;
    this.extenderPort = extenderPort;
    this.quotas = List.copyOf(quotas);
  }

  public static ComputeScheduler.Factory factory() {
    return StrataComputeScheduler::new;
  }

  @Override
  public void start() {
    StandaloneScheduler scheduler =
        new StandaloneScheduler(compute, StandaloneConfig.defaults(quotas));
    running.push(scheduler);
    scheduler.start();

    ClusterView view = new ClusterView();
    ExtenderService service =
        new ExtenderService(
            view,
            Policies.create(Policies.DEFAULT, List.of()),
            quotas,
            new KubernetesPodBinder(compute),
            Clock.systemUTC(),
            PLAN_TTL);
    running.push(ViewInformers.start(compute, view));
    try {
      extender =
          new ExtenderServer(service, "127.0.0.1", extenderPort, 2, "strata-sandbox").start();
    } catch (IOException e) {
      throw new UncheckedIOException("extender port " + extenderPort + ": " + e.getMessage(), e);
    }
    running.push(extender);
    log.info("compute scheduler up; extender front at {}", extenderUrl());
  }

  @Override
  public String extenderUrl() {
    return extender == null ? null : "http://127.0.0.1:" + extender.port();
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable part = running.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
