package dev.strata.sandbox;

/**
 * The parts of the sandbox that live in other modules: its API servers, the compute scheduler and
 * the virtual node. {@link #defaults()} is the one place that says which are used.
 */
public record SandboxParts(
    ApiServerFactory apiServers,
    ComputeScheduler.Factory scheduler,
    VirtualNodeBridge.Factory virtualNode) {

  /**
   * What {@code demo} and {@code up} run: the sandbox API server (kubectl-compatible), Strata's
   * standalone scheduler with its extender front, and the virtual node with pod forwarding.
   */
  public static SandboxParts defaults() {
    return new SandboxParts(
        new SandboxApiServers(), StrataComputeScheduler.factory(), new StrataVirtualNodes());
  }
}
