/**
 * Trace replay: the FGD paper's experiment on the Alibaba GPU trace, from workload generation
 * (through a re-implementation of Go's {@code math/rand}) to the allocation-rate metric, and the
 * {@code TraceBenchmark} command line.
 */
package dev.strata.scheduler.bench;
