/**
 * Strata's GPU scheduler as a kube-scheduler extender. {@link
 * dev.strata.scheduler.extender.ExtenderService} answers the filter, prioritize, bind and preempt
 * verbs from the core's decisions on a {@link dev.strata.scheduler.extender.ClusterView} fed by
 * {@link dev.strata.scheduler.extender.ViewInformers}; {@link
 * dev.strata.scheduler.extender.ExtenderServer} serves them over HTTP in kube-scheduler's wire
 * format; {@link dev.strata.scheduler.extender.ExtenderMain} runs both; {@link
 * dev.strata.scheduler.extender.ExtenderBenchmark} times the round trips. docs/scheduler.md ("The
 * kube-scheduler extender") describes the behaviour, deploy/kube-scheduler the setup.
 */
package dev.strata.scheduler.extender;
