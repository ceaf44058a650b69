package dev.strata.sandbox;

/**
 * Starts the sandbox's API servers; {@link SandboxApiServers} (kubectl-compatible: discovery,
 * OpenAPI, admission) is the one {@link SandboxParts#defaults()} uses.
 */
@FunctionalInterface
public interface ApiServerFactory {
  /**
   * @param name {@code compute} or {@code tenant-<name>}
   */
  ApiServer start(String name);
}
