package dev.strata.sandbox.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Shows progress snapshots: on a terminal the table is redrawn in place (ANSI cursor movement);
 * elsewhere one line is printed when something changed, and at least every {@link #PLAIN_EVERY}.
 */
final class ProgressPrinter {
  static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

  private final PrintStream out;
  private final boolean redraw;
  private int drawnLines;
  private String lastLine;
  private Duration lastPrinted;

  ProgressPrinter(PrintStream out, boolean redraw) {
    this.out = out;
    this.redraw = redraw;
  }

  /** Whether stdout is an interactive terminal that understands cursor movement. */
  static boolean stdoutIsTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  void show(ProgressSnapshot snapshot) {
    if (redraw) {
      List<String> lines = ProgressView.table(snapshot);
      StringBuilder frame = new StringBuilder();
      if (drawnLines > 0) {
        frame.append("\033[").append(drawnLines).append('F').append("\033[J");
      }
      lines.forEach(l -> frame.append(l).append('\n'));
      out.print(frame);
      out.flush();
      drawnLines = lines.size();
      return;
    }
    String line = ProgressView.line(snapshot);
    // Compare without the clock: a new line only when a job or the GPUs changed.
    String content = line.substring(line.indexOf(' ') + 1);
    if (!content.equals(lastLine)
        || lastPrinted == null
        || snapshot.elapsed().minus(lastPrinted).compareTo(PLAIN_EVERY) >= 0) {
      out.println(line);
      out.flush();
      lastLine = content;
      lastPrinted = snapshot.elapsed();
    }
  }

  /** The final state in full, in either mode. */
  void finish(ProgressSnapshot snapshot) {
    if (redraw) {
      show(snapshot);
      return;
    }
    ProgressView.table(snapshot).forEach(out::println);
    out.flush();
  }
}
