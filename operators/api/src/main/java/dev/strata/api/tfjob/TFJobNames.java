package dev.strata.api.tfjob;

import java.util.Locale;

/**
 * The names of the pods and Services a TFJob implies, as upstream names them: {@code <job>-<replica
 * type in lower case>-<index>}, used for both.
 */
public final class TFJobNames {
  private TFJobNames() {}

  public static String replica(String job, String replicaType, int index) {
    return job + "-" + replicaType.toLowerCase(Locale.ROOT) + "-" + index;
  }
}
