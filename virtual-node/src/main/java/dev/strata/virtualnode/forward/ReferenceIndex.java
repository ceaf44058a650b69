package dev.strata.virtualnode.forward;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Which forwarded pods reference which tenant objects, so a changed object reaches its copies. */
final class ReferenceIndex {
  private final Map<String, Set<DependencyRef>> byPod = new HashMap<>();
  private final Map<DependencyRef, Set<String>> byRef = new HashMap<>();

  synchronized void put(String podKey, Set<DependencyRef> refs) {
    remove(podKey);
    byPod.put(podKey, Set.copyOf(refs));
    refs.forEach(r -> byRef.computeIfAbsent(r, k -> new HashSet<>()).add(podKey));
  }

  synchronized void remove(String podKey) {
    Set<DependencyRef> old = byPod.remove(podKey);
    if (old != null) {
      for (DependencyRef r : old) {
        Set<String> pods = byRef.get(r);
        pods.remove(podKey);
        if (pods.isEmpty()) {
          byRef.remove(r);
        }
      }
    }
  }

  synchronized boolean isReferenced(DependencyRef ref) {
    return byRef.containsKey(ref);
  }
}
