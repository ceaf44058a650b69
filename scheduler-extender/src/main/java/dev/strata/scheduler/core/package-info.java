/**
 * The placement core: given a {@link dev.strata.scheduler.core.ClusterState} and a {@link
 * dev.strata.scheduler.core.PodRequest}, a {@link dev.strata.scheduler.core.Placer} returns a
 * {@link dev.strata.scheduler.core.Decision} (a {@link dev.strata.scheduler.core.Placement} or an
 * explained {@link dev.strata.scheduler.core.Unschedulable}) without calling any API, so the
 * kube-scheduler extender, the standalone scheduler and the trace benchmark all share one
 * implementation of feasibility, GPU assignment and tie-breaking.
 *
 * <p>What comes next builds on it rather than into it: gangs decide members one by one on a {@link
 * dev.strata.scheduler.core.ClusterState#copy()} and keep the copy only if all fit; preemption
 * {@link dev.strata.scheduler.core.ClusterState#unbind}s victims from a copy until the pod fits;
 * topology reads {@link dev.strata.scheduler.core.NodeSpec#labels()} in a {@link
 * dev.strata.scheduler.core.ScoringPolicy}.
 */
package dev.strata.scheduler.core;
