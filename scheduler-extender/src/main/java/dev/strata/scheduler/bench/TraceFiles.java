package dev.strata.scheduler.bench;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.PodRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the Alibaba GPU trace (cluster-trace-gpu-v2023) CSV files into nodes and pod requests. */
public final class TraceFiles {

  private TraceFiles() {}

  /** Nodes of an {@code openb_node_list_*.csv}: {@code sn,cpu_milli,memory_mib,gpu,model}. */
  public static List<NodeSpec> readNodes(Path file) {
    List<NodeSpec> nodes = new ArrayList<>();
    for (Map<String, String> row : rows(file)) {
      nodes.add(
          new NodeSpec(
              row.get("sn"),
              Long.parseLong(row.get("cpu_milli")),
              Long.parseLong(row.get("memory_mib")),
              Integer.parseInt(row.get("gpu")),
              row.getOrDefault("model", "")));
    }
    return nodes;
  }

  /**
   * Pods of an {@code openb_pod_list_*.csv}. Per-GPU milli above 1000 is capped at one GPU; a pod
   * without GPUs asks for no GPU milli whatever the column says; {@code gpu_spec} lists the allowed
   * models separated by {@code |}.
   */
  public static List<PodRequest> readPods(Path file) {
    List<PodRequest> pods = new ArrayList<>();
    for (Map<String, String> row : rows(file)) {
      int gpus = Integer.parseInt(row.get("num_gpu"));
      int milli =
          gpus == 0 ? 0 : Math.min(NodeSpec.GPU_MILLI, Integer.parseInt(row.get("gpu_milli")));
      Set<String> models = new LinkedHashSet<>();
      for (String model : row.getOrDefault("gpu_spec", "").split("\\|")) {
        if (!model.isBlank()) {
          models.add(model.strip());
        }
      }
      pods.add(
          new PodRequest(
              row.get("name"),
              Long.parseLong(row.get("cpu_milli")),
              Long.parseLong(row.get("memory_mib")),
              gpus,
              milli,
              models));
    }
    return pods;
  }

  /**
   * Each GPU pod's {@code gpu_spec} as the FGD paper's artifact turns it into a pod annotation: the
   * models in the order written, duplicates kept, empty entries dropped, joined by {@code |}. Keyed
   * by pod name; pods without GPUs or without a restriction are absent.
   */
  public static Map<String, String> readGpuSpecs(Path file) {
    Map<String, String> specs = new HashMap<>();
    for (Map<String, String> row : rows(file)) {
      List<String> models = new ArrayList<>();
      for (String model : row.getOrDefault("gpu_spec", "").split("\\|")) {
        if (!model.isBlank()) {
          models.add(model.strip());
        }
      }
      if (Integer.parseInt(row.get("num_gpu")) > 0 && !models.isEmpty()) {
        specs.put(row.get("name"), String.join("|", models));
      }
    }
    return specs;
  }

  private static List<Map<String, String>> rows(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty");
    }
    String[] header = lines.get(0).strip().split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>(lines.size());
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = Arrays.copyOf(line.split(",", -1), header.length);
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < header.length; c++) {
        row.put(header[c], cells[c] == null ? "" : cells[c]);
      }
      rows.add(row);
    }
    return rows;
  }
}
