package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.FreeResources;
import dev.strata.scheduler.core.NodeState;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.ScoringPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fragmentation Gradient Descent (Weng et al., USENIX ATC 2023): place each pod where the node's
 * expected GPU fragmentation grows least. A node's fragmentation is the free GPU milli that a
 * typical pod, drawn from the {@link TypicalPods} distribution, could not use there: all of it when
 * the pod does not fit the node at all, otherwise the free milli on GPUs too small for the pod's
 * per-GPU share. The score is a sigmoid of the decrease, so 50 means "no change".
 *
 * <p>A share goes to the GPU where the fragmentation grows least, lowest index among equals.
 */
public final class Fgd implements ScoringPolicy {

  private static final int LACK_BOTH = 0;
  private static final int LACK_GPU = 1;
  private static final int SATISFIED = 2;
  private static final int LACK_CPU = 3;
  private static final int CPU_POD_FITS = 4;
  private static final int CPU_POD_LACKS_CPU = 5;
  private static final int NO_ACCESS = 6;

  private final List<TypicalPods.Shape> typical;
  private final boolean cpuLimitsCopies;
  private final Map<FreeResources, Double> fragmentationByState = new HashMap<>();

  public Fgd(TypicalPods typicalPods) {
    this(typicalPods, false);
  }

  /**
   * @param cpuLimitsCopies also count as fragment the free GPU milli that copies of a typical pod
   *     could not reach because the node's CPU runs out first (FGD proper only asks whether one
   *     copy fits)
   */
  Fgd(TypicalPods typicalPods, boolean cpuLimitsCopies) {
    this.typical = typicalPods.shapes();
    this.cpuLimitsCopies = cpuLimitsCopies;
  }

  @Override
  public String name() {
    return "FGD";
  }

  @Override
  public long score(PodRequest pod, NodeState node) {
    int[] gpus = new int[node.gpuCount()];
    node.copyGpuFree(gpus);
    String model = node.spec().gpuModel();
    double before = fragmentation(model, node.cpuFree(), gpus);
    if (pod.isGpuShare()) {
      long best = 0;
      boolean found = false;
      for (int gpu = 0; gpu < gpus.length; gpu++) {
        if (gpus[gpu] >= pod.gpuMilli()) {
          long s = shareScore(pod, model, node.cpuFree(), gpus, gpu, before);
          if (!found || s > best) {
            best = s;
            found = true;
          }
        }
      }
      return best;
    }
    int[] after = gpus.clone();
    takeTightest(after, pod);
    return scoreOf(before - fragmentation(model, node.cpuFree() - pod.cpuMilli(), after));
  }

  @Override
  public int shareGpu(PodRequest pod, NodeState node) {
    int[] gpus = new int[node.gpuCount()];
    node.copyGpuFree(gpus);
    String model = node.spec().gpuModel();
    double before = fragmentation(model, node.cpuFree(), gpus);
    int chosen = -1;
    long best = 0;
    for (int gpu = 0; gpu < gpus.length; gpu++) {
      if (gpus[gpu] >= pod.gpuMilli()) {
        long s = shareScore(pod, model, node.cpuFree(), gpus, gpu, before);
        if (chosen < 0 || s > best) {
          best = s;
          chosen = gpu;
        }
      }
    }
    return chosen;
  }

  @Override
  public boolean scoresOnlyFreeResources() {
    return true;
  }

  private long shareScore(
      PodRequest pod, String model, long cpuFree, int[] gpus, int gpu, double before) {
    int[] after = gpus.clone();
    after[gpu] -= pod.gpuMilli();
    return scoreOf(before - fragmentation(model, cpuFree - pod.cpuMilli(), after));
  }

  private static long scoreOf(double decrease) {
    return (long) (sigmoid(decrease / 1000) * 100);
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** Takes whole or partial GPUs from the fullest ones that still fit, as the hypothetical fill. */
  private static void takeTightest(int[] gpus, PodRequest pod) {
    int wanted = pod.gpuCount();
    while (wanted > 0) {
      int pick = -1;
      for (int gpu = 0; gpu < gpus.length; gpu++) {
        if (gpus[gpu] >= pod.gpuMilli() && (pick < 0 || gpus[gpu] < gpus[pick])) {
          pick = gpu;
        }
      }
      if (pick < 0) {
        return;
      }
      gpus[pick] -= pod.gpuMilli();
      wanted--;
    }
  }

  /**
   * Expected GPU milli a typical pod could not use on a node in this state; {@code gpus} is kept.
   */
  double fragmentation(String model, long cpuFree, int[] gpus) {
    FreeResources key = FreeResources.of(model, cpuFree, gpus.clone());
    Double cached = fragmentationByState.get(key);
    if (cached != null) {
      return cached;
    }
    double value = computeFragmentation(model, cpuFree, gpus);
    fragmentationByState.put(key, value);
    return value;
  }

  private double computeFragmentation(String model, long cpuFree, int[] gpus) {
    double[] amount = new double[7];
    long free = 0;
    for (int g : gpus) {
      free += g;
    }
    for (TypicalPods.Shape shape : typical) {
      double frequency = shape.frequency();
      int kind = kindOf(shape, model, cpuFree, gpus);
      if (kind == SATISFIED) {
        long tooSmall = 0;
        for (int g : gpus) {
          if (g < shape.gpuMilli()) {
            tooSmall += g;
          }
        }
        long usable = free - tooSmall;
        if (cpuLimitsCopies && shape.cpuMilli() > 0) {
          long copies = cpuFree / shape.cpuMilli();
          usable = Math.min(usable, copies * shape.gpuCount() * shape.gpuMilli());
        }
        amount[LACK_GPU] += frequency * tooSmall;
        if (usable < free - tooSmall) {
          amount[LACK_CPU] += frequency * (free - tooSmall - usable);
        }
        amount[SATISFIED] += frequency * usable;
      } else {
        amount[kind] += frequency * free;
      }
    }
    double total = 0;
    for (int kind = 0; kind < amount.length; kind++) {
      if (kind != SATISFIED) {
        total += amount[kind];
      }
    }
    return total;
  }

  private static int kindOf(TypicalPods.Shape shape, String model, long cpuFree, int[] gpus) {
    boolean cpuFits = cpuFree >= shape.cpuMilli();
    if (shape.gpuMilli() == 0) {
      return cpuFits ? CPU_POD_FITS : CPU_POD_LACKS_CPU;
    }
    if (!shape.accessibleOn(model)) {
      return NO_ACCESS;
    }
    int fitting = 0;
    for (int g : gpus) {
      if (g >= shape.gpuMilli()) {
        fitting++;
      }
    }
    boolean gpuFits = fitting >= shape.gpuCount();
    if (gpuFits) {
      return cpuFits ? SATISFIED : LACK_CPU;
    }
    return cpuFits ? LACK_GPU : LACK_BOTH;
  }
}
