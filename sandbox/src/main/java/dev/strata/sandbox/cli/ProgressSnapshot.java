package dev.strata.sandbox.cli;

import java.time.Duration;
import java.util.List;

/**
 * What the sandbox shows at one moment: the submitted jobs and the compute cluster's GPUs.
 *
 * @param elapsed since the jobs were submitted
 * @param jobs in the order they were submitted
 * @param gpus per GPU model, in the order the nodes were given
 */
public record ProgressSnapshot(Duration elapsed, List<Job> jobs, List<GpuUse> gpus) {
  public ProgressSnapshot {
    jobs = List.copyOf(jobs);
    gpus = List.copyOf(gpus);
  }

  /**
   * One job as its tenant cluster reports it.
   *
   * @param tenant the tenant cluster
   * @param kind MPIJob or TFJob
   * @param state the job's latest condition: Submitted (none yet), Created, Running, Restarting,
   *     Suspended, Succeeded, Failed, Deleted (gone before it finished)
   * @param podsRunning the job's pods in phase Running
   * @param pods the job's pods that exist
   * @param elapsed since the job was created, until it finished
   * @param note why the job failed or what it waits for (a pending pod's reason); null if nothing
   */
  public record Job(
      String tenant,
      String namespace,
      String kind,
      String name,
      String state,
      int podsRunning,
      int pods,
      Duration elapsed,
      String note) {
    public boolean finished() {
      return "Succeeded".equals(state) || "Failed".equals(state) || "Deleted".equals(state);
    }
  }

  /**
   * @param model the {@code strata.dev/gpu-model} label value
   * @param inUse GPUs that running pods on nodes of this model hold
   * @param total allocatable GPUs of all nodes of this model
   */
  public record GpuUse(String model, int inUse, int total) {}

  public long finishedJobs() {
    return jobs.stream().filter(Job::finished).count();
  }

  public boolean allFinished() {
    return !jobs.isEmpty() && finishedJobs() == jobs.size();
  }
}
