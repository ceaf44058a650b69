package dev.strata.sandbox.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a {@link ProgressSnapshot} as text: pure. The table is for a terminal redrawn in place;
 * the one-line form for logs and pipes, where redrawing would leave a mess.
 */
public final class ProgressView {
  static final int BAR_WIDTH = 30;

  private ProgressView() {}

  /** The job table, the GPUs in use per node model, and a progress bar of finished jobs. */
  public static List<String> table(ProgressSnapshot snapshot) {
    List<String> lines = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"JOB", "KIND", "STATE", "PODS RUNNING", "ELAPSED"});
    for (ProgressSnapshot.Job job : snapshot.jobs()) {
      rows.add(
          new String[] {
            job.tenant() + "/" + job.namespace() + "/" + job.name(),
            job.kind(),
            job.state(),
            job.podsRunning() + "/" + job.pods(),
            clock(job.elapsed())
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
      }
      lines.add(line.toString().stripTrailing());
    }
    lines.add("");
    lines.add("GPUs in use  " + gpus(snapshot, "  "));
    lines.add(bar(snapshot) + "  " + clock(snapshot.elapsed()) + " elapsed");
    return lines;
  }

  /** Everything on one line: {@code 00:12 [####----] 1/3 finished | pi Running 3/3 | ...}. */
  public static String line(ProgressSnapshot snapshot) {
    String jobs =
        snapshot.jobs().stream()
            .map(j -> j.name() + " " + j.state() + " " + j.podsRunning() + "/" + j.pods())
            .collect(Collectors.joining(", "));
    return clock(snapshot.elapsed())
        + " "
        + bar(snapshot)
        + " | "
        + jobs
        + " | GPUs in use "
        + gpus(snapshot, ", ");
  }

  static String bar(ProgressSnapshot snapshot) {
    int total = snapshot.jobs().size();
    long done = snapshot.finishedJobs();
    int filled = total == 0 ? 0 : (int) (BAR_WIDTH * done / total);
    return "["
        + "#".repeat(filled)
        + "-".repeat(BAR_WIDTH - filled)
        + "] "
        + done
        + "/"
        + total
        + " jobs finished";
  }

  private static String gpus(ProgressSnapshot snapshot, String separator) {
    if (snapshot.gpus().isEmpty()) {
      return "(no GPU nodes)";
    }
    return snapshot.gpus().stream()
        .map(g -> g.model() + " " + g.inUse() + "/" + g.total())
        .collect(Collectors.joining(separator));
  }

  static String clock(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    return "%02d:%02d".formatted(seconds / 60, seconds % 60);
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
