package dev.strata.operators.tfjob.model;

import dev.strata.api.common.RestartPolicy;
import dev.strata.api.tfjob.TFJobDefaults;
import dev.strata.operators.common.Pods;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Where one replica's pod stands, and the exit code of its tensorflow container when it ended. A
 * pod's phase decides, except in a co-located worker pod: its PS container never exits, so the
 * pod's phase stays Running after training ended, and the tensorflow container's (or, failing, the
 * PS container's) termination decides instead.
 */
public record ReplicaState(Phase phase, Integer exitCode) {
  public enum Phase {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /** The first exit code that is a signal (128 + n): retrying may help. */
  public static final int FIRST_RETRYABLE_EXIT_CODE = 128;

  public static ReplicaState of(Pod pod, boolean colocatedWorker) {
    Optional<ContainerStateTerminated> main = Pods.terminated(pod, TFJobDefaults.CONTAINER_NAME);
    Integer exitCode = main.map(ContainerStateTerminated::getExitCode).orElse(null);
    if (colocatedWorker) {
      boolean kubeletLeavesFailures =
          pod.getSpec() != null
              && RestartPolicy.Never.name().equals(pod.getSpec().getRestartPolicy());
      if (exitCode != null && exitCode == 0) {
        return new ReplicaState(Phase.SUCCEEDED, 0);
      }
      if (kubeletLeavesFailures) {
        if (exitCode != null) {
          return new ReplicaState(Phase.FAILED, exitCode);
        }
        Optional<ContainerStateTerminated> ps = Pods.terminated(pod, TFJobModel.PS_CONTAINER);
        if (ps.isPresent() && ps.get().getExitCode() != null && ps.get().getExitCode() != 0) {
          return new ReplicaState(Phase.FAILED, ps.get().getExitCode());
        }
      }
    }
    String phase = Pods.phase(pod);
    if ("Running".equals(phase)) {
      return new ReplicaState(Phase.RUNNING, null);
    }
    if ("Succeeded".equals(phase)) {
      return new ReplicaState(Phase.SUCCEEDED, exitCode);
    }
    if ("Failed".equals(phase)) {
      return new ReplicaState(Phase.FAILED, exitCode);
    }
    return new ReplicaState(Phase.PENDING, null);
  }

  public boolean running() {
    return phase == Phase.RUNNING;
  }

  public boolean succeeded() {
    return phase == Phase.SUCCEEDED;
  }

  public boolean failed() {
    return phase == Phase.FAILED;
  }

  /**
   * Whether the controller recreates this failed replica's pod under {@code restartPolicy}.
   * ExitCode: exit codes 128 and above (killed by a signal: 130, 137, 143...), and an unknown code
   * (the pod failed without its tensorflow container terminating, as on eviction), as upstream's
   * magic 0xbeef does; 1-127 are the program's own failure and permanent. Always and OnFailure: the
   * kubelet restarts containers in place, so a Failed pod is one the kubelet gave up on (evicted,
   * node lost), and the controller recreates it. Never: never.
   */
  public boolean retryableUnder(String restartPolicy) {
    if (!failed()) {
      return false;
    }
    if (RestartPolicy.ExitCode.name().equals(restartPolicy)) {
      return exitCode == null || exitCode >= FIRST_RETRYABLE_EXIT_CODE;
    }
    return RestartPolicy.OnFailure.name().equals(restartPolicy)
        || RestartPolicy.Always.name().equals(restartPolicy);
  }
}
