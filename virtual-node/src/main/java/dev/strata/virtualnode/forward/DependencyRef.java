package dev.strata.virtualnode.forward;

/** An object a forwarded pod needs next to it in the compute cluster, by its tenant name. */
public record DependencyRef(Kind kind, String namespace, String name) {
  public enum Kind {
    CONFIG_MAP,
    SECRET,
    SERVICE,
    PERSISTENT_VOLUME_CLAIM
  }

  public String key() {
    return kind + "/" + namespace + "/" + name;
  }
}
