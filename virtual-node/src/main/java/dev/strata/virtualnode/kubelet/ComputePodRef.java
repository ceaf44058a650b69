package dev.strata.virtualnode.kubelet;

/** Where a tenant pod runs in the compute cluster. */
public record ComputePodRef(String namespace, String name) {}
