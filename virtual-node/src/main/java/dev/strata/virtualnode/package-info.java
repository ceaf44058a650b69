/** The virtual node: a Java virtual-kubelet forwarding tenant pods into the GPU compute cluster. */
package dev.strata.virtualnode;
