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
   * What {@code demo} and {@code up} run. Plug the real parts in here: the sandbox API server
   * (kubectl-compatible) for {@code new CrudMockApiServers()}, the standalone scheduler for {@code
   * NotPluggedIn.scheduler()}, the virtual node for {@code NotPluggedIn.virtualNode()}.
   */
  public static SandboxParts defaults() {
    return new SandboxParts(
        new CrudMockApiServers(), NotPluggedIn.scheduler(), NotPluggedIn.virtualNode());
  }
}
