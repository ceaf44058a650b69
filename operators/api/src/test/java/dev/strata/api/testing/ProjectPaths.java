package dev.strata.api.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository, the shared data beside it, and the generated CRDs. */
public final class ProjectPaths {
  private ProjectPaths() {}

  /** The repository root: Surefire passes it; from an IDE, walk up to the wrapper. */
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

  /** ../shared beside the repository, as CI lays it out. */
  public static Path shared() {
    return root().resolveSibling("shared");
  }

  public static Path upstreamCompat() {
    return shared().resolve("compat/upstream");
  }

  /** A CRD the fabric8 generator wrote during this build. */
  public static Path generatedCrd(String fileName) {
    return root().resolve("operators/api/target/classes/META-INF/fabric8").resolve(fileName);
  }

  /** A CRD committed under crds/. */
  public static Path committedCrd(String fileName) {
    return root().resolve("crds").resolve(fileName);
  }
}
