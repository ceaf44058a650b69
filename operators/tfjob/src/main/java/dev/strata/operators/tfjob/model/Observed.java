package dev.strata.operators.tfjob.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/**
 * What exists of a TFJob's objects, read before acting (from informer caches in the operator, from
 * the API in tests): the pods and Services that carry the job's labels.
 */
public record Observed(List<Pod> pods, List<Service> services) {}
