package dev.strata.scheduler.core;

import java.util.Arrays;

/**
 * Which of several equally scored nodes wins: the one with the lowest rank. A fixed order (rather
 * than a coin flip per decision) makes runs reproducible; a shuffled one spreads load over nodes
 * that a name order would always favour.
 */
public final class TieBreak {

  private final int[] rankByNodeIndex;

  private TieBreak(int[] rankByNodeIndex) {
    this.rankByNodeIndex = rankByNodeIndex;
  }

  /** Lowest node index first. */
  public static TieBreak nodeOrder(int nodes) {
    int[] ranks = new int[nodes];
    Arrays.setAll(ranks, i -> i);
    return new TieBreak(ranks);
  }

  /** {@code ranks[i]} is the rank of the node at index i; ranks must be distinct. */
  public static TieBreak ranks(int[] ranks) {
    return new TieBreak(ranks.clone());
  }

  int rank(int nodeIndex) {
    return rankByNodeIndex[nodeIndex];
  }

  int size() {
    return rankByNodeIndex.length;
  }
}
