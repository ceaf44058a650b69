/**
 * The placement core: given a {@link dev.strata.scheduler.core.ClusterState} and a {@link
 * dev.strata.scheduler.core.PodRequest}, a {@link dev.strata.scheduler.core.Placer} returns a
 * {@link dev.strata.scheduler.core.Decision} (a {@link dev.strata.scheduler.core.Placement} or an
 * explained {@link dev.strata.scheduler.core.Unschedulable}) without calling any API, so the
 * kube-scheduler extender, the standalone scheduler and the trace benchmark all share one
 * implementation of feasibility, GPU assignment and tie-breaking.
 *
 * <p>Built on it, equally pure: a {@link dev.strata.scheduler.core.GangPlacer} places a {@link
 * dev.strata.scheduler.core.Gang} whole or not at all, binding and undoing its trials; the {@link
 * dev.strata.scheduler.core.Scheduler} admits gangs by {@link dev.strata.scheduler.core.Tier}
 * within {@link dev.strata.scheduler.core.TenantQuota}s, preempting whole LOW gangs for HIGH work
 * by {@link dev.strata.scheduler.core.ClusterState#unbind}ing them from a copy. docs/scheduler.md
 * describes the rules.
 *
 * <p>Topology: {@link dev.strata.scheduler.core.NodeSpec} carries rack and RoCE switch labels and
 * {@link dev.strata.scheduler.core.NvLinkGroups}; the gang placer keeps a gang under one switch
 * where it can ({@link dev.strata.scheduler.core.TopologyMode}), and whole GPUs are chosen within
 * one NVLink group ({@link dev.strata.scheduler.core.GpuChoice#whole}).
 */
package dev.strata.scheduler.core;
