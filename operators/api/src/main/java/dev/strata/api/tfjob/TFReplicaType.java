package dev.strata.api.tfjob;

import java.util.Arrays;
import java.util.Optional;

/**
 * The replica types of a TFJob. Constant names are the canonical keys of {@code tfReplicaSpecs};
 * upstream accepts any letter case and rewrites the key to these spellings.
 */
public enum TFReplicaType {
  PS,
  Worker,
  Chief,
  Master,
  Evaluator;

  /** The type whose name equals {@code key} ignoring case, as upstream's defaulting matches. */
  public static Optional<TFReplicaType> parse(String key) {
    return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(key)).findFirst();
  }

  /** Chief and Master mean the same: the one replica that coordinates and decides success. */
  public boolean isChiefOrMaster() {
    return this == Chief || this == Master;
  }
}
