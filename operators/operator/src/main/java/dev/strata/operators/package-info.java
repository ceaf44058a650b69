/** The operator process that runs the MPIJob and TFJob controllers. */
package dev.strata.operators;
