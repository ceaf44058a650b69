package dev.strata.virtualnode.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Renders deploy/charts with the real Helm engine (helm-java) and parses what comes out. */
final class Charts {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Charts() {}

  static Path root() {
    String root = System.getProperty("strata.root");
    Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/charts"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no deploy/charts above " + start);
  }

  static Path chart(String name) {
    return root().resolve("deploy/charts").resolve(name);
  }

  /** {@code helm template <release> <chart> -n strata-system -f values}; Helm errors throw. */
  static String template(String chart, String valuesYaml) {
    try {
      Path values = Files.createTempFile("values", ".yaml");
      try {
        Files.writeString(values, valuesYaml);
        return new Helm(chart(chart))
            .template()
            .withName("strata")
            .withNamespace("strata-system")
            .withValuesFile(values)
            .call();
      } finally {
        Files.deleteIfExists(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<HasMetadata> render(String chart, String valuesYaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : template(chart, valuesYaml).split("(?m)^---\\s*$")) {
      String trimmed =
          document.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
      if (trimmed.isBlank()) {
        continue;
      }
      objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return find(objects, type, name)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  static <T extends HasMetadata> Optional<T> find(
      List<HasMetadata> objects, Class<T> type, String name) {
    return all(objects, type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst();
  }
}
