package dev.strata.sandbox.cli;

import java.time.Duration;
import java.util.List;

/** Why a demo run did not succeed, one line per job that did not Succeed: pure. */
final class DemoVerdict {
  private DemoVerdict() {}

  static List<String> problems(ProgressSnapshot snapshot, Duration timeout) {
    if (snapshot.jobs().isEmpty()) {
      return List.of("no jobs were submitted");
    }
    return snapshot.jobs().stream()
        .filter(j -> !"Succeeded".equals(j.state()))
        .map(
            j -> {
              String job = j.kind() + " " + j.tenant() + "/" + j.namespace() + "/" + j.name();
              String what =
                  j.finished()
                      ? " " + j.state()
                      : " still " + j.state() + " after " + timeout.toSeconds() + " s";
              return job + what + (j.note() == null ? "" : ": " + j.note());
            })
        .toList();
  }
}
