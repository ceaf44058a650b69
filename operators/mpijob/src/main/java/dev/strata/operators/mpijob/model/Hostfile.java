package dev.strata.operators.mpijob.model;

import dev.strata.api.mpijob.MPIImplementation;
import java.util.List;

/**
 * The hostfile the launcher's mpirun reads, in the chosen implementation's syntax: Open MPI's
 * {@code host slots=N}, Intel MPI's and MPICH's {@code host:N}.
 */
final class Hostfile {
  private Hostfile() {}

  static String render(String implementation, List<String> hosts, int slots) {
    StringBuilder text = new StringBuilder();
    boolean openMpi = MPIImplementation.OpenMPI.name().equals(implementation);
    for (String host : hosts) {
      text.append(host).append(openMpi ? " slots=" : ":").append(slots).append('\n');
    }
    return text.toString();
  }

  /**
   * Elastic Horovod's host discovery script: prints the hosts that are running now, one a line,
   * without slots (horovodrun takes those from its own flags).
   */
  static String discoverHostsScript(List<String> runningHosts) {
    StringBuilder text = new StringBuilder("#!/bin/sh\n");
    for (String host : runningHosts) {
      text.append("echo ").append(host).append('\n');
    }
    return text.toString();
  }
}
