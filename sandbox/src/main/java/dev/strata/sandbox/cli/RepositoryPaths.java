package dev.strata.sandbox.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the sandbox finds the repository's examples/: bin/strata-sandbox passes the root. */
public final class RepositoryPaths {
  private RepositoryPaths() {}

  /** The repository root: the {@code strata.root} property, else the nearest mvnw above. */
  public static Path root() {
    String given = System.getProperty("strata.root");
    if (given != null && !given.isBlank()) {
      return Path.of(given).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the repository root: run bin/strata-sandbox, or set -Dstrata.root");
    }
    return dir;
  }

  public static Path examples() {
    return root().resolve("examples");
  }
}
