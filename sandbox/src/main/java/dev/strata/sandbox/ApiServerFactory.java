package dev.strata.sandbox;

/**
 * Starts the sandbox's API servers. {@link CrudMockApiServers} is the plain CRUD mock; the
 * kubectl-compatible server (discovery, OpenAPI, admission) plugs in here, see {@link
 * SandboxParts#defaults()}.
 */
@FunctionalInterface
public interface ApiServerFactory {
  /**
   * @param name {@code compute} or {@code tenant-<name>}
   */
  ApiServer start(String name);
}
