/** CRD admission as kube-apiserver performs it: defaults, pruning, schema and CEL validation. */
package dev.strata.admission;
