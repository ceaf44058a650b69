package dev.strata.sandbox.cli;

import dev.strata.api.common.JobCondition;
import dev.strata.api.common.JobStatus;
import dev.strata.operators.common.JobLabels;
import dev.strata.sandbox.sim.ComputeNodeInventory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link ProgressSnapshot} from the API servers: each job and its pods from its tenant
 * cluster, the GPUs in use from the compute cluster's nodes and running pods. Reads only.
 */
public final class ProgressSampler {
  static final String JOB_NAME_LABEL = JobLabels.JOB_NAME;
  private static final List<String> STATES =
      List.of("Succeeded", "Failed", "Suspended", "Restarting", "Running", "Created");

  private final Map<String, KubernetesClient> tenants;
  private final KubernetesClient compute;

  public ProgressSampler(Map<String, KubernetesClient> tenants, KubernetesClient compute) {
    this.tenants = tenants;
    this.compute = compute;
  }

  public ProgressSnapshot sample(List<SubmittedJob> jobs, Instant since, Instant now) {
    List<ProgressSnapshot.Job> rows = new ArrayList<>();
    for (SubmittedJob submitted : jobs) {
      rows.add(job(submitted, since, now));
    }
    return new ProgressSnapshot(Duration.between(since, now), rows, gpus());
  }

  private ProgressSnapshot.Job job(SubmittedJob submitted, Instant since, Instant now) {
    KubernetesClient client = tenants.get(submitted.tenant());
    CustomResource<?, JobStatus> job =
        client
            .resources(submitted.type())
            .inNamespace(submitted.namespace())
            .withName(submitted.name())
            .get();
    List<Pod> pods =
        client
            .pods()
            .inNamespace(submitted.namespace())
            .withLabel(JOB_NAME_LABEL, submitted.name())
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    int running = (int) pods.stream().filter(p -> "Running".equals(phase(p))).count();
    if (job == null) {
      return new ProgressSnapshot.Job(
          submitted.tenant(),
          submitted.namespace(),
          submitted.kind(),
          submitted.name(),
          "Deleted",
          running,
          pods.size(),
          Duration.ZERO,
          "the job was deleted");
    }
    JobStatus status = job.getStatus();
    String state = state(status);
    // Creation times have whole seconds: never earlier than the submission itself.
    Instant created = instant(job.getMetadata().getCreationTimestamp()).orElse(now);
    if (created.isBefore(since)) {
      created = since;
    }
    Instant end = status == null ? now : instant(status.getCompletionTime()).orElse(now);
    String note =
        "Failed".equals(state) ? failure(status) : "Succeeded".equals(state) ? null : waiting(pods);
    return new ProgressSnapshot.Job(
        submitted.tenant(),
        submitted.namespace(),
        submitted.kind(),
        submitted.name(),
        state,
        running,
        pods.size(),
        Duration.between(created, end),
        note);
  }

  /** The job's most telling True condition, Submitted when it has none yet. */
  static String state(JobStatus status) {
    if (status == null || status.getConditions() == null) {
      return "Submitted";
    }
    for (String state : STATES) {
      for (JobCondition condition : status.getConditions()) {
        if (state.equals(condition.getType()) && "True".equals(condition.getStatus())) {
          return state;
        }
      }
    }
    return "Submitted";
  }

  private static String failure(JobStatus status) {
    return status.getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse(null);
  }

  /** The first pod that does not run yet, and why, as its conditions say. */
  private static String waiting(List<Pod> pods) {
    for (Pod pod : pods) {
      String phase = phase(pod);
      if ("Running".equals(phase) || "Succeeded".equals(phase)) {
        continue;
      }
      String name = pod.getMetadata().getName();
      if ("Failed".equals(phase)) {
        return "pod " + name + " failed";
      }
      Optional<PodCondition> blocking =
          pod.getStatus() == null || pod.getStatus().getConditions() == null
              ? Optional.empty()
              : pod.getStatus().getConditions().stream()
                  .filter(c -> "False".equals(c.getStatus()) && c.getMessage() != null)
                  .findFirst();
      if (blocking.isPresent()) {
        return "pod " + name + " Pending: " + blocking.get().getMessage();
      }
      String node = pod.getSpec().getNodeName();
      return node == null
          ? "pod " + name + " Pending: not scheduled yet"
          : "pod " + name + " Pending on node " + node + ": not started there yet";
    }
    return null;
  }

  private List<ProgressSnapshot.GpuUse> gpus() {
    Map<String, String> modelOfNode = new LinkedHashMap<>();
    Map<String, int[]> byModel = new LinkedHashMap<>();
    for (Node node : compute.nodes().list().getItems()) {
      String model =
          node.getMetadata().getLabels() == null
              ? null
              : node.getMetadata().getLabels().get(ComputeNodeInventory.GPU_MODEL_LABEL);
      if (model == null) {
        continue;
      }
      modelOfNode.put(node.getMetadata().getName(), model);
      Quantity gpus =
          node.getStatus() == null || node.getStatus().getAllocatable() == null
              ? null
              : node.getStatus().getAllocatable().get(ComputeNodeInventory.GPU_RESOURCE);
      byModel.computeIfAbsent(model, m -> new int[2])[1] +=
          gpus == null ? 0 : gpus.getNumericalAmount().intValue();
    }
    for (Pod pod : compute.pods().inAnyNamespace().list().getItems()) {
      String model = modelOfNode.get(pod.getSpec().getNodeName());
      if (model != null && "Running".equals(phase(pod))) {
        byModel.get(model)[0] += gpusOf(pod);
      }
    }
    return byModel.entrySet().stream()
        .map(e -> new ProgressSnapshot.GpuUse(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .toList();
  }

  /** Whole GPUs a pod holds: its containers' limits, or requests where no limit is set. */
  static int gpusOf(Pod pod) {
    int total = 0;
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getResources() == null) {
        continue;
      }
      Quantity gpus =
          container.getResources().getLimits() == null
              ? null
              : container.getResources().getLimits().get(ComputeNodeInventory.GPU_RESOURCE);
      if (gpus == null && container.getResources().getRequests() != null) {
        gpus = container.getResources().getRequests().get(ComputeNodeInventory.GPU_RESOURCE);
      }
      total += gpus == null ? 0 : gpus.getNumericalAmount().intValue();
    }
    return total;
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static Optional<Instant> instant(String time) {
    try {
      return time == null ? Optional.empty() : Optional.of(Instant.parse(time));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
