package dev.strata.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PLACEHOLDERS for the parts the sandbox wires but this build does not yet hold: they start nothing
 * and say so, and the sandbox runs without them (pods then wait where the missing part would have
 * moved them on).
 */
public final class NotPluggedIn {
  private static final Logger log = LoggerFactory.getLogger(NotPluggedIn.class);

  private NotPluggedIn() {}

  public static ComputeScheduler.Factory scheduler() {
    return (compute, port) ->
        new ComputeScheduler() {
          @Override
          public void start() {
            log.warn("no compute scheduler is plugged in (placeholder): compute pods stay unbound");
          }

          @Override
          public void close() {}
        };
  }

  public static VirtualNodeBridge.Factory virtualNode() {
    return (tenant, tenantCluster, computeCluster) ->
        new VirtualNodeBridge() {
          @Override
          public void start() {
            log.warn(
                "no virtual node is plugged in for tenant {} (placeholder): its pods stay Pending",
                tenant);
          }

          @Override
          public void close() {}
        };
  }
}
