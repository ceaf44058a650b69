/** The TFJob controller and its pure model builders (issue: TFJob controller). */
package dev.strata.operators.tfjob;
