/** The GPU scheduler: pure placement core, kube-scheduler extender front, standalone front. */
package dev.strata.scheduler;
