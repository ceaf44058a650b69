package dev.strata.scheduler.core;

/**
 * Ranks the nodes a pod fits. The {@link Placer} asks for a score of every feasible node, lets the
 * policy rescale them all at once, and takes the highest; it never asks about a node the pod does
 * not fit.
 */
public interface ScoringPolicy {

  String name();

  /** Raw score of a node the pod fits; higher is better. */
  long score(PodRequest pod, NodeState node);

  /**
   * Rescales the raw scores of all feasible nodes of one decision, {@code scores[0..count)}, in
   * place, for policies whose scale is relative to the other candidates. The default keeps them.
   *
   * <p>Equal raw scores must stay equal, and the rescaling may depend only on which values occur
   * (as a min-max one does), not on how many nodes share one: for a policy that {@linkplain
   * #scoresOnlyFreeResources() scores only free resources} the placer passes one node per group of
   * nodes in the same state.
   */
  default void normalize(long[] scores, int count) {}

  /**
   * The GPU that a {@linkplain PodRequest#isGpuShare() share} goes to on the chosen node. The
   * default is the tightest fit: the GPU with the least free milli that still fits, lowest index
   * among equals, which keeps emptier GPUs whole for later pods.
   */
  default int shareGpu(PodRequest pod, NodeState node) {
    return GpuChoice.tightestFit(pod, node);
  }

  /**
   * True when {@link #score} depends on nothing but the request and the node's {@link
   * FreeResources}, so the placer may reuse it for every node in the same state. Policies that read
   * labels, pods already bound or time must leave this false.
   */
  default boolean scoresOnlyFreeResources() {
    return false;
  }

  /**
   * Changes whenever the policy may score the same pod and node state differently than before, as a
   * policy that learns from arrivals does; the placer then forgets the scores it cached.
   */
  default long generation() {
    return 0;
  }
}
