package dev.strata.sandbox.apiserver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary against a kubeconfig, with its own HOME (discovery cache). */
public final class Kubectl {
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  private final Path kubeconfig;
  private final Path home;

  public Kubectl(Path kubeconfig, Path home) {
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  /** The kubectl on PATH, or null. */
  public static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  public Result run(String... args) {
    try {
      Path errFile = Files.createTempFile(home, "kubectl", ".err");
      ProcessBuilder builder = builder(args).redirectError(errFile.toFile());
      Process process = builder.start();
      byte[] out = readAll(process.getInputStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " hung");
      }
      String err = Files.readString(errFile);
      Files.delete(errFile);
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts kubectl with stderr merged into stdout; the caller reads and ends it. */
  Process start(String... args) {
    try {
      return builder(args).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", home.toString());
    return builder;
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
