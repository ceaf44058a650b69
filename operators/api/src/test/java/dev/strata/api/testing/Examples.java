package dev.strata.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.tfjob.TFJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads job YAML files: the upstream examples and the project's own test specs. */
public final class Examples {
  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Examples() {}

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(Path file) {
    return SERIALIZATION.unmarshal(read(file), JsonNode.class);
  }

  public static String kind(Path file) {
    JsonNode kind = tree(file).get("kind");
    return kind == null ? "" : kind.asText();
  }

  public static MPIJob mpiJob(Path file) {
    return SERIALIZATION.unmarshal(read(file), MPIJob.class);
  }

  public static TFJob tfJob(Path file) {
    return SERIALIZATION.unmarshal(read(file), TFJob.class);
  }

  /** Every upstream example of the given kind (MPIJob or TFJob), found by listing the folders. */
  public static List<Path> upstream(String kind) {
    try (Stream<Path> files = Files.walk(ProjectPaths.upstreamCompat())) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().startsWith("kubeflow.org_"))
          .filter(p -> kind.equals(kind(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The project's invalid specs in src/test/resources/invalid. */
  public static List<Path> invalidSpecs() {
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve(INVALID_DIR))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code # key: value} header line of a test spec. */
  public static String header(Path file, String key) {
    String prefix = "# " + key + ": ";
    return read(file)
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).trim())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(file + " has no '" + prefix + "' line"));
  }

  private static final String INVALID_DIR = "operators/api/src/test/resources/invalid";
}
