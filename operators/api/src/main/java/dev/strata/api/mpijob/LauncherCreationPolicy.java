package dev.strata.api.mpijob;

/** When the launcher is created. Constant names are the wire values. */
public enum LauncherCreationPolicy {
  /** Together with the workers. */
  AtStartup,
  /** As soon as every worker pod is Ready. */
  WaitForWorkersReady
}
