package dev.strata.sandbox.apiserver;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository and the shared upstream examples. */
public final class TestPaths {
  private TestPaths() {}

  public static Path root() {
    String fromBuild = System.getProperty("strata.root");
    if (fromBuild != null && !fromBuild.isBlank()) {
      return Path.of(fromBuild).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no mvnw above the cwd)");
    }
    return dir;
  }

  public static Path upstream() {
    return root().resolveSibling("shared").resolve("compat/upstream");
  }
}
