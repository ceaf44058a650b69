package dev.strata.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
  private static ProgressSnapshot.Job job(
      String name, String kind, String state, int running, int pods, int seconds) {
    return new ProgressSnapshot.Job(
        "team-a", "default", kind, name, state, running, pods, Duration.ofSeconds(seconds), null);
  }

  private static final ProgressSnapshot SNAPSHOT =
      new ProgressSnapshot(
          Duration.ofSeconds(75),
          List.of(
              job("pi", "MPIJob", "Succeeded", 0, 3, 31),
              job("mnist", "TFJob", "Running", 5, 5, 62),
              job("resnet50", "MPIJob", "Created", 0, 2, 75)),
          List.of(
              new ProgressSnapshot.GpuUse("V100", 8, 128),
              new ProgressSnapshot.GpuUse("P100", 4, 64)));

  @Test
  void theTableListsEachJobWithStatePodsAndElapsedThenGpusAndABar() {
    assertThat(ProgressView.table(SNAPSHOT))
        .containsExactly(
            "JOB                      KIND    STATE      PODS RUNNING  ELAPSED",
            "team-a/default/pi        MPIJob  Succeeded  0/3           00:31",
            "team-a/default/mnist     TFJob   Running    5/5           01:02",
            "team-a/default/resnet50  MPIJob  Created    0/2           01:15",
            "",
            "GPUs in use  V100 8/128  P100 4/64",
            "[##########--------------------] 1/3 jobs finished  01:15 elapsed");
  }

  @Test
  void theOneLineFormSaysTheSameForLogs() {
    assertThat(ProgressView.line(SNAPSHOT))
        .isEqualTo(
            "01:15 [##########--------------------] 1/3 jobs finished | pi Succeeded 0/3,"
                + " mnist Running 5/5, resnet50 Created 0/2 | GPUs in use V100 8/128, P100 4/64");
  }

  @Test
  void theBarIsFullWhenEveryJobFinishedAndEmptyWithoutJobs() {
    ProgressSnapshot done =
        new ProgressSnapshot(
            Duration.ofSeconds(3), List.of(job("pi", "MPIJob", "Failed", 0, 1, 3)), List.of());
    assertThat(ProgressView.bar(done)).isEqualTo("[" + "#".repeat(30) + "] 1/1 jobs finished");
    assertThat(ProgressView.table(done)).contains("GPUs in use  (no GPU nodes)");
    assertThat(ProgressView.bar(new ProgressSnapshot(Duration.ZERO, List.of(), List.of())))
        .isEqualTo("[" + "-".repeat(30) + "] 0/0 jobs finished");
  }

  @Test
  void aRedrawingPrinterMovesTheCursorBackOverTheLastFrame() {
    var bytes = new java.io.ByteArrayOutputStream();
    ProgressPrinter printer = new ProgressPrinter(new java.io.PrintStream(bytes, true), true);
    printer.show(SNAPSHOT);
    printer.show(SNAPSHOT);
    String output = bytes.toString();
    int lines = ProgressView.table(SNAPSHOT).size();
    assertThat(output).startsWith("JOB ").contains("\033[" + lines + "F\033[J");
    assertThat(output.split("\033\\[", -1)).hasSize(3); // one move-up and one clear, once
  }

  @Test
  void aPlainPrinterPrintsALineOnlyWhenSomethingChanged() {
    var bytes = new java.io.ByteArrayOutputStream();
    ProgressPrinter printer = new ProgressPrinter(new java.io.PrintStream(bytes, true), false);
    printer.show(SNAPSHOT);
    printer.show(new ProgressSnapshot(Duration.ofSeconds(76), SNAPSHOT.jobs(), SNAPSHOT.gpus()));
    printer.show(
        new ProgressSnapshot(
            Duration.ofSeconds(77),
            List.of(job("pi", "MPIJob", "Succeeded", 0, 3, 31)),
            SNAPSHOT.gpus()));
    assertThat(bytes.toString().lines()).hasSize(2).noneMatch(l -> l.contains("\033"));
  }

  @Test
  void theVerdictNamesEachJobThatDidNotSucceedAndWhy() {
    ProgressSnapshot end =
        new ProgressSnapshot(
            Duration.ofSeconds(110),
            List.of(
                job("pi", "MPIJob", "Succeeded", 0, 3, 31),
                new ProgressSnapshot.Job(
                    "team-a",
                    "default",
                    "TFJob",
                    "mnist",
                    "Failed",
                    0,
                    5,
                    Duration.ofSeconds(20),
                    "TFJobFailed: worker 0 exited 1"),
                new ProgressSnapshot.Job(
                    "team-a",
                    "default",
                    "MPIJob",
                    "resnet50",
                    "Created",
                    0,
                    2,
                    Duration.ofSeconds(110),
                    "pod resnet50-worker-0 Pending: no nodes available to schedule pods")),
            List.of());
    assertThat(DemoVerdict.problems(end, Duration.ofSeconds(110)))
        .containsExactly(
            "TFJob team-a/default/mnist Failed: TFJobFailed: worker 0 exited 1",
            "MPIJob team-a/default/resnet50 still Created after 110 s: pod resnet50-worker-0 Pending:"
                + " no nodes available to schedule pods");
  }
}
