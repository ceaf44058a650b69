package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.PodRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One seed's arrival sequence and node tie order, drawn exactly as the FGD paper's simulator draws
 * them from Go's {@code math/rand} after {@code rand.Seed(seed)}: one discarded value, a shuffle of
 * the pods sorted by name, then clones of random original pods appended until the next clone's
 * per-GPU milli would overshoot {@code ratio} times the cluster's GPU capacity (or random pods
 * removed while the list is above it), then {@value #INFORMER_WATCH_DRAWS} values drawn by the
 * scheduler's informers as they start (see there), then a permutation of the node names.
 *
 * @param tieRanks {@code tieRanks[i]} is the tie-break rank of the i-th node in name order
 */
public record Workload(List<PodRequest> pods, int[] tieRanks) {

  /**
   * Values the simulator's scheduler takes from Go's global stream between the workload and the
   * node permutation. After tuning the workload the simulator starts the informers its scheduler
   * registered, and each one's reflector draws a random watch timeout ({@code Float64}) as it opens
   * its first watch, while the simulator still waits for their caches to sync. A kube-scheduler
   * 1.20 profile with the default plugins registers 10 that were not started before the seed: pods,
   * nodes, persistent volumes and claims, services, CSI nodes (event handlers, volume plugins),
   * replication controllers, replica sets, stateful sets (pod topology spread's system defaults)
   * and pod disruption budgets (preemption); the storage class informer started, and drew, before
   * the seed was set. Without these draws every seed got another, equally random, node order.
   */
  static final int INFORMER_WATCH_DRAWS = 10;

  public static Workload draw(
      List<PodRequest> tracePods, int nodeCount, long gpuCapacityMilli, double ratio, long seed) {
    GoRandom random = new GoRandom(seed);
    // The simulator logs one value right after seeding; the stream must skip it too.
    random.nextInt();

    List<PodRequest> byName = new ArrayList<>(tracePods);
    byName.sort(Comparator.comparing(PodRequest::name));
    List<PodRequest> pods = new ArrayList<>(byName);
    random.shuffle(pods);

    long requested = 0;
    for (PodRequest pod : pods) {
      requested += pod.totalGpuMilli();
    }
    double target = ratio * (double) gpuCapacityMilli;
    if (ratio > 0 && requested > target) {
      while (requested > target) {
        PodRequest removed = pods.remove(random.intn(pods.size()));
        requested -= removed.totalGpuMilli();
      }
    } else if (ratio > 0 && requested < target) {
      for (int i = 0; ; i++) {
        PodRequest original = byName.get(random.intn(byName.size()));
        if (requested + original.gpuMilli() > target) {
          break;
        }
        requested += original.totalGpuMilli();
        pods.add(original.withName(original.name() + "-tuned-" + i));
      }
    }
    for (int i = 0; i < INFORMER_WATCH_DRAWS; i++) {
      random.float64();
    }
    return new Workload(List.copyOf(pods), random.perm(nodeCount));
  }

  /**
   * The same pods with the inverse permutation as tie order ({@code inverse[tieRanks[i]] = i}): as
   * random as the drawn one but different, so replaying with it shows how much a policy's result
   * owes to the particular tie order.
   */
  public Workload withInverseTieOrder() {
    int[] inverse = new int[tieRanks.length];
    for (int i = 0; i < tieRanks.length; i++) {
      inverse[tieRanks[i]] = i;
    }
    return new Workload(pods, inverse);
  }
}
