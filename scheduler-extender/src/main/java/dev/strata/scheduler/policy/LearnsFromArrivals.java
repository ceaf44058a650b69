package dev.strata.scheduler.policy;

import dev.strata.scheduler.core.PodRequest;

/** A policy that updates what it knows of the workload from each pod as it arrives. */
public interface LearnsFromArrivals {

  /** Called once per pod, before the pod is placed; the policy must not look further ahead. */
  void arrived(PodRequest pod);
}
