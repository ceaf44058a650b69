/** The MPIJob controller and its pure model builders (issue: MPIJob controller). */
package dev.strata.operators.mpijob;
