package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;

/**
 * A policy that keeps a gang under one RoCE switch: while a gang is being placed, nodes under the
 * switch of its first member (node label {@value #SWITCH_LABEL}) outrank every other node, and the
 * wrapped policy orders the nodes within each group. Outside a gang it is the wrapped policy.
 *
 * <p>Superseded for gangs by the core: {@link dev.strata.scheduler.core.GangPlacer} tries a gang
 * under each switch alone before spreading it, for every policy, and never calls {@link #prefer};
 * this wrapper is kept for callers that place members one by one themselves.
 */
public final class SwitchAffinity implements ScoringPolicy {

  public static final String SWITCH_LABEL = NodeSpec.SWITCH_LABEL;
  public static final String RACK_LABEL = NodeSpec.RACK_LABEL;

  // Above any score the wrapped policies give (FGD-based ones stay below 101,000).
  private static final long SAME_SWITCH = 1L << 40;

  private final ScoringPolicy inner;
  private final String name;
  private String preferredSwitch;

  public SwitchAffinity(String name, ScoringPolicy inner) {
    this.name = name;
    this.inner = inner;
  }

  /** Prefers nodes under {@code switchLabel} until {@link #clear}; null prefers none. */
  public void prefer(String switchLabel) {
    this.preferredSwitch = switchLabel;
  }

  public void clear() {
    this.preferredSwitch = null;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    long base = inner.score(pod, node);
    if (preferredSwitch != null && preferredSwitch.equals(node.spec().labels().get(SWITCH_LABEL))) {
      return base + SAME_SWITCH;
    }
    return base;
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    return inner.shareGpu(pod, node);
  }

  // Reads a label and the gang in progress, so the placer must not cache its scores.
  @Override
  public boolean scoresOnlyFreeResources() {
    return false;
  }
}
