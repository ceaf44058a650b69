/** The sandbox: the whole platform on embedded API servers, driven with kubectl. */
package dev.strata.sandbox;
