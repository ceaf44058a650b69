/**
 * Scoring policies. BestFit, GpuPacking, DotProd and FGD re-implement the scores of the FGD paper's
 * artifact (hkust-adsl/kubernetes-scheduler-simulator) exactly, quirks included, so that Strata's
 * own policies are compared with them side by side in one harness.
 */
package dev.strata.scheduler.policy;
