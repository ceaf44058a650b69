package dev.strata.sandbox.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * Hands out pod IPs from each node's pod CIDR (a /24), host numbers 2..254 in turn, wrapping
 * around: a simulated node never holds anywhere near 253 live pods, so a wrapped address is long
 * free again.
 */
final class PodIpAllocator {
  private final Map<String, Integer> next = new HashMap<>();

  /**
   * @param podCidr the node's spec.podCIDR, e.g. {@code 10.244.3.0/24}
   */
  String allocate(String nodeName, String podCidr) {
    String base = podCidr.substring(0, podCidr.indexOf('/'));
    String prefix = base.substring(0, base.lastIndexOf('.') + 1);
    int host = next.getOrDefault(nodeName, 1) + 1;
    if (host > 254) {
      host = 2;
    }
    next.put(nodeName, host);
    return prefix + host;
  }
}
