package dev.strata.scheduler.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers scores per (request shape, {@link FreeResources}) for policies that depend on nothing
 * else. A large cluster has few distinct node states and a trace few distinct requests, so most
 * scores are computed once per run rather than once per node per pod.
 */
final class ScoreCache {

  private static final long MISSING = Long.MIN_VALUE;

  private record Shape(long cpu, long memory, int gpuCount, int gpuMilli, Set<String> models) {
    static Shape of(PodRequest pod) {
      return new Shape(
          pod.cpuMilli(), pod.memoryMib(), pod.gpuCount(), pod.gpuMilli(), pod.allowedGpuModels());
    }
  }

  private final Map<FreeResources, Integer> stateIds = new HashMap<>();
  private final Map<Shape, Integer> shapeIds = new HashMap<>();
  private long[][] scoresByShape = new long[16][];

  private ClusterState cluster;
  private long[] versionByNode = new long[0];
  private int[] stateIdByNode = new int[0];

  /** Id of the shape of {@code pod}, for {@link #get} and {@link #put}. */
  int shape(PodRequest pod) {
    Integer id = shapeIds.get(Shape.of(pod));
    if (id == null) {
      id = shapeIds.size();
      shapeIds.put(Shape.of(pod), id);
      if (id >= scoresByShape.length) {
        scoresByShape = Arrays.copyOf(scoresByShape, id * 2);
      }
      scoresByShape[id] = new long[0];
    }
    return id;
  }

  int state(ClusterState in, NodeState node) {
    if (in != cluster || stateIdByNode.length != in.size()) {
      cluster = in;
      versionByNode = new long[in.size()];
      stateIdByNode = new int[in.size()];
      Arrays.fill(versionByNode, -1);
    }
    int i = node.index();
    if (versionByNode[i] != node.version()) {
      FreeResources key = FreeResources.of(node);
      Integer id = stateIds.get(key);
      if (id == null) {
        id = stateIds.size();
        stateIds.put(key, id);
      }
      versionByNode[i] = node.version();
      stateIdByNode[i] = id;
    }
    return stateIdByNode[i];
  }

  boolean has(int shape, int state) {
    long[] scores = scoresByShape[shape];
    return state < scores.length && scores[state] != MISSING;
  }

  long get(int shape, int state) {
    return scoresByShape[shape][state];
  }

  void put(int shape, int state, long score) {
    long[] scores = scoresByShape[shape];
    if (state >= scores.length) {
      int old = scores.length;
      scores = Arrays.copyOf(scores, Math.max(state + 1, old * 2 + 64));
      Arrays.fill(scores, old, scores.length, MISSING);
      scoresByShape[shape] = scores;
    }
    scores[state] = score;
  }
}
