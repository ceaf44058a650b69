package dev.strata.sandbox.cli;

import dev.strata.api.common.JobStatus;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.tfjob.TFJob;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The sample jobs under examples/, read and submitted as kubectl apply would create them. */
public final class ExampleJobs {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Map<String, Class<? extends CustomResource<?, JobStatus>>> TYPES =
      Map.of("MPIJob", MPIJob.class, "TFJob", TFJob.class);

  private ExampleJobs() {}

  /**
   * Every {@code *.yaml} in the directory, by file name.
   *
   * @throws IllegalArgumentException naming the file, for anything but an MPIJob or TFJob
   */
  public static List<CustomResource<?, JobStatus>> read(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.yaml jobs in " + directory);
    }
    List<CustomResource<?, JobStatus>> jobs = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file);
      Map<?, ?> raw = YAML.unmarshal(text, Map.class);
      Object kind = raw == null ? null : raw.get("kind");
      Class<? extends CustomResource<?, JobStatus>> type = TYPES.get(String.valueOf(kind));
      if (type == null) {
        throw new IllegalArgumentException(
            file + ": kind " + kind + " is not one the demo runs (MPIJob, TFJob)");
      }
      jobs.add(YAML.unmarshal(text, type));
    }
    return jobs;
  }

  /** Creates the jobs in the namespace of a tenant cluster. */
  @SuppressWarnings("unchecked")
  public static List<SubmittedJob> submit(
      String tenant,
      KubernetesClient client,
      String namespace,
      List<CustomResource<?, JobStatus>> jobs) {
    List<SubmittedJob> submitted = new ArrayList<>();
    for (CustomResource<?, JobStatus> job : jobs) {
      job.getMetadata().setNamespace(namespace);
      client.resource(job).create();
      submitted.add(
          new SubmittedJob(
              tenant,
              namespace,
              job.getMetadata().getName(),
              (Class<? extends CustomResource<?, JobStatus>>) job.getClass()));
    }
    return submitted;
  }
}
