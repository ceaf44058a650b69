/**
 * Pure translation between Kubernetes objects (fabric8 model) and the placement core: {@link
 * dev.strata.scheduler.kube.NodeSpecs} (Node → NodeSpec or why the node is excluded), {@link
 * dev.strata.scheduler.kube.PodRequests} (Pod → PodRequest), {@link
 * dev.strata.scheduler.kube.GangKeys} (Pod → gang, tenant, tier) and {@link
 * dev.strata.scheduler.kube.TenantQuotas} (YAML or ConfigMap → TenantQuota). No API calls: the
 * extender and the standalone scheduler feed it objects they read and apply what the core decides.
 * Bad input comes back as a {@link dev.strata.scheduler.kube.Translation.Rejected} with a reason
 * for the user, never as an exception. The names read and written are in {@link
 * dev.strata.scheduler.kube.KubeKeys}.
 */
package dev.strata.scheduler.kube;
