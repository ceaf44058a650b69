package dev.strata.sandbox.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a simulated pod behaves, read from its annotations and commands: it runs for {@code
 * sandbox.strata.dev/run-seconds} (default {@value #DEFAULT_RUN_SECONDS}) and then its containers
 * exit with {@code sandbox.strata.dev/exit-code} (default 0). A pod with a container that runs sshd
 * (an MPI worker) or with a negative run-seconds runs until it is deleted.
 *
 * @param runFor how long the containers run before they exit; null for until deleted
 * @param exitCode the exit code of every container when they exit
 * @param problem why an annotation could not be read (the default was used instead), or null
 */
public record SimulatedRun(Duration runFor, int exitCode, String problem) {
  public static final String RUN_SECONDS = "sandbox.strata.dev/run-seconds";
  public static final String EXIT_CODE = "sandbox.strata.dev/exit-code";
  public static final int DEFAULT_RUN_SECONDS = 5;

  public boolean runsUntilDeleted() {
    return runFor == null;
  }

  public static SimulatedRun of(Pod pod) {
    Map<String, String> annotations =
        pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    List<String> problems = new ArrayList<>();
    double seconds = number(annotations, RUN_SECONDS, DEFAULT_RUN_SECONDS, problems);
    int exitCode = (int) number(annotations, EXIT_CODE, 0, problems);
    if (exitCode < 0 || exitCode > 255) {
      problems.add(EXIT_CODE + " must be 0..255, got " + exitCode + "; using 0");
      exitCode = 0;
    }
    boolean forever = seconds < 0 || runsSshd(pod);
    return new SimulatedRun(
        forever ? null : Duration.ofMillis(Math.round(seconds * 1000)),
        exitCode,
        problems.isEmpty() ? null : String.join("; ", problems));
  }

  /** sshd serves until killed: an MPI worker lives as long as its pod. */
  static boolean runsSshd(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return false;
    }
    return pod.getSpec().getContainers().stream().anyMatch(SimulatedRun::runsSshd);
  }

  private static boolean runsSshd(Container container) {
    List<String> words = new ArrayList<>();
    if (container.getCommand() != null) {
      words.addAll(container.getCommand());
    }
    if (container.getArgs() != null) {
      words.addAll(container.getArgs());
    }
    // The program itself, or a shell running it: "sh -c '... /usr/sbin/sshd -De'".
    return words.stream()
        .flatMap(w -> java.util.Arrays.stream(w.split("[\\s;&|]+")))
        .anyMatch(w -> w.equals("sshd") || w.endsWith("/sshd"));
  }

  private static double number(
      Map<String, String> annotations, String key, double fallback, List<String> problems) {
    String value = annotations.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      problems.add(key + " '" + value + "' is not a number; using " + (long) fallback);
      return fallback;
    }
  }
}
