package dev.strata.sandbox;

import dev.strata.sandbox.sim.NodeInventorySpec;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the sandbox is laid out.
 *
 * @param tenants the tenant clusters, by name (DNS labels)
 * @param nodes the compute cluster's GPU nodes
 * @param extenderPort the port of the scheduler's extender front; 0 for any free port
 * @param tolerateVirtualNode a sandbox setting: the tenant binder stand-in treats every pod as
 *     tolerating the virtual node's taint, also pods that no job controller made (the controllers
 *     add the toleration to theirs)
 */
public record SandboxOptions(
    List<String> tenants, NodeInventorySpec nodes, int extenderPort, boolean tolerateVirtualNode) {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  public SandboxOptions {
    tenants = List.copyOf(tenants);
    if (tenants.isEmpty()) {
      throw new IllegalArgumentException("at least one tenant is needed");
    }
    for (String tenant : tenants) {
      if (!DNS_LABEL.matcher(tenant).matches()) {
        throw new IllegalArgumentException(
            "tenant name '"
                + tenant
                + "' must be lower-case letters, digits and '-', at most 40, starting and ending"
                + " with a letter or digit");
      }
    }
    if (tenants.stream().distinct().count() != tenants.size()) {
      throw new IllegalArgumentException("tenant names must differ: " + tenants);
    }
    if (extenderPort < 0 || extenderPort > 65535) {
      throw new IllegalArgumentException("extender port must be 0..65535, got " + extenderPort);
    }
  }

  public static SandboxOptions defaults() {
    return new SandboxOptions(List.of("team-a"), NodeInventorySpec.defaults(), 0, false);
  }
}
