package dev.strata.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.testing.ProjectPaths;
import dev.strata.api.tfjob.TFJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The upstream compatibility corpus under {@code shared/compat/upstream}, found by listing its
 * folders so that a file added there is tested without touching the tests.
 *
 * <p>Documents are read with a plain Jackson YAML mapper, independent of fabric8's serialisation,
 * so that they are the reference the round trip is compared with.
 */
final class UpstreamCorpus {
  static final List<String> FOLDERS = List.of("mpi-operator", "training-operator");

  private static final YAMLMapper YAML = new YAMLMapper();

  private UpstreamCorpus() {}

  /** One YAML document of one upstream file. */
  record Document(Path file, int index, int documentsInFile, JsonNode tree) {
    String kind() {
      return tree.path("kind").asText("");
    }

    String apiVersion() {
      return tree.path("apiVersion").asText("");
    }

    boolean isJob() {
      return jobClass() != null;
    }

    /** Our model class for this document, or null when it is not an MPIJob or TFJob. */
    Class<?> jobClass() {
      if (MPIJob.KIND.equals(kind()) && MPIJob.API_VERSION.equals(apiVersion())) {
        return MPIJob.class;
      }
      if (TFJob.KIND.equals(kind()) && TFJob.API_VERSION.equals(apiVersion())) {
        return TFJob.class;
      }
      return null;
    }

    /** The folder and file name, plus the document number when the file holds several. */
    String name() {
      String name = file.getParent().getFileName() + "/" + file.getFileName();
      return documentsInFile == 1 ? name : name + "#" + index;
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** Every document of every YAML file in the upstream folders, in a stable order. */
  static List<Document> documents() {
    List<Document> documents = new ArrayList<>();
    for (Path file : files()) {
      List<JsonNode> trees = readAll(file);
      for (int i = 0; i < trees.size(); i++) {
        documents.add(new Document(file, i, trees.size(), trees.get(i)));
      }
    }
    return documents;
  }

  static Stream<Document> jobs() {
    return documents().stream().filter(Document::isJob);
  }

  /** The CustomResourceDefinition document in {@code folder/fileName}. */
  static JsonNode crd(String folder, String fileName) {
    Path file = ProjectPaths.upstreamCompat().resolve(folder).resolve(fileName);
    return readAll(file).stream()
        .filter(tree -> "CustomResourceDefinition".equals(tree.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no CustomResourceDefinition in " + file));
  }

  static List<JsonNode> readAll(Path file) {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      // A leading or trailing "---" yields an empty document: it is not part of the content.
      return it.readAll().stream()
          .filter(tree -> tree != null && !tree.isMissingNode() && !tree.isNull())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (String folder : FOLDERS) {
      Path dir = ProjectPaths.upstreamCompat().resolve(folder);
      try (Stream<Path> listing = Files.list(dir)) {
        listing
            .filter(Files::isRegularFile)
            .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return files;
  }
}
