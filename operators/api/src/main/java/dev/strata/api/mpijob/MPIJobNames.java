package dev.strata.api.mpijob;

/**
 * The names of everything an MPIJob implies, as upstream names them. The validator checks them and
 * the controller creates them, from this one place.
 */
public final class MPIJobNames {
  private MPIJobNames() {}

  /** The headless Service that gives workers their DNS names. */
  public static String service(String job) {
    return job;
  }

  public static String worker(String job, int index) {
    return job + "-worker-" + index;
  }

  /** The launcher batch Job, its pod's hostname, and its ServiceAccount, Role and RoleBinding. */
  public static String launcher(String job) {
    return job + "-launcher";
  }

  public static String configMap(String job) {
    return job + "-config";
  }

  public static String sshSecret(String job) {
    return job + "-ssh";
  }
}
