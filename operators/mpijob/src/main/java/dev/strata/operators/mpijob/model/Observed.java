package dev.strata.operators.mpijob.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;

/**
 * What exists of an MPIJob's objects, read before acting (from informer caches in the operator,
 * from the API in tests). Absent objects are null.
 */
public record Observed(
    Service service,
    ConfigMap configMap,
    Secret sshSecret,
    ServiceAccount serviceAccount,
    Role role,
    RoleBinding roleBinding,
    Job launcher,
    List<Pod> launcherPods,
    List<Pod> workers) {}
