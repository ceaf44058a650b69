package dev.strata.sandbox;

/**
 * Starts the sandbox's API servers; {@link SandboxApiServers} (kubectl-compatible: discovery,
 * OpenAPI, admission) is the one {@link SandboxParts#defaults()} uses. A server it starts already
 * serves the {@code default} namespace and the MPIJob and TFJob CRDs.
 */
@FunctionalInterface
public interface ApiServerFactory {
  /**
   * @param name {@code compute} or {@code tenant-<name>}
   */
  ApiServer start(String name);
}
