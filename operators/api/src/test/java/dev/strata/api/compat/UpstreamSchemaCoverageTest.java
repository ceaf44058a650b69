package dev.strata.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.testing.ProjectPaths;
import dev.strata.api.tfjob.TFJob;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our CRD schemas accept whatever the upstream ones accept: every property path upstream declares
 * exists in ours, with a compatible type. A path missing from ours would be pruned by the API
 * server on the way in, losing the user's field without an error.
 */
class UpstreamSchemaCoverageTest {
  /**
   * Kubernetes defines apiVersion, kind and metadata for every custom resource itself, whatever the
   * schema says, and fabric8's generator leaves them out; upstream's controller-gen writes them.
   * Only these exact root paths are taken as present.
   */
  private static final Set<String> IMPLICIT_ROOT_FIELDS =
      Set.of(".apiVersion", ".kind", ".metadata");

  /**
   * Paths under a replica's PodTemplateSpec: their schema comes from fabric8's Kubernetes model,
   * not from our classes, so they are checked (and reported) apart from the job-level fields.
   */
  private static final Pattern POD_TEMPLATE_CONTENT =
      Pattern.compile("^\\.spec\\.(mpiReplicaSpecs|tfReplicaSpecs)\\.\\*\\.template[.\\[].*");

  record Kind(String name, String version, String upstreamFolder, String crdFile) {
    Map<String, String> upstreamPaths() {
      return SchemaPaths.of(
          SchemaPaths.schemaOf(UpstreamCorpus.crd(upstreamFolder, crdFile), version));
    }

    Map<String, String> ourPaths() {
      List<JsonNode> docs = UpstreamCorpus.readAll(ProjectPaths.committedCrd(crdFile));
      return SchemaPaths.of(SchemaPaths.schemaOf(docs.get(0), version));
    }

    @Override
    public String toString() {
      return name + " " + version;
    }
  }

  static Stream<Kind> kinds() {
    return Stream.of(
        new Kind(MPIJob.KIND, MPIJob.VERSION, "mpi-operator", "kubeflow.org_mpijobs.yaml"),
        new Kind(TFJob.KIND, TFJob.VERSION, "training-operator", "kubeflow.org_tfjobs.yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void ourSchemaHasEveryUpstreamJobField(Kind kind) {
    List<String> missing = missing(kind).stream().filter(p -> !isPodTemplateContent(p)).toList();
    assertThat(missing)
        .withFailMessage(Listing.of(kind + ": upstream job-level paths our CRD lacks", missing))
        .isEmpty();
  }

  /**
   * Pod fields of Kubernetes 1.35 (alpha: PodSpec.workloadRef, podCertificate.userAnnotations) that
   * upstream's CRD has and fabric8 7.5.2's Kubernetes model, which our pod schema comes from,
   * predates. A real API server would prune them from an MPIJob. The list is exact both ways: a new
   * gap fails, and so does a gap that a fabric8 upgrade closed (then delete it here and in
   * docs/api.md).
   */
  private static final Map<String, List<String>> KNOWN_POD_TEMPLATE_GAPS =
      Map.of(
          MPIJob.KIND,
          Stream.of(
                  "workloadRef",
                  "workloadRef.name",
                  "workloadRef.podGroup",
                  "workloadRef.podGroupReplicaKey",
                  "volumes[].projected.sources[].podCertificate.userAnnotations",
                  "volumes[].projected.sources[].podCertificate.userAnnotations.*")
              .map(p -> ".spec.mpiReplicaSpecs.*.template.spec." + p)
              .toList(),
          TFJob.KIND,
          List.of());

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void ourSchemaHasEveryUpstreamPodTemplateFieldButTheKnownGaps(Kind kind) {
    List<String> missing =
        missing(kind).stream().filter(UpstreamSchemaCoverageTest::isPodTemplateContent).toList();
    assertThat(missing)
        .withFailMessage(
            Listing.of(
                kind
                    + ": upstream PodTemplateSpec paths our CRD lacks (its pod schema comes from"
                    + " fabric8's Kubernetes model); expected exactly the known gaps "
                    + KNOWN_POD_TEMPLATE_GAPS.get(kind.name()),
                missing))
        .containsExactlyInAnyOrderElementsOf(KNOWN_POD_TEMPLATE_GAPS.get(kind.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void commonPathsHaveTheSameType(Kind kind) {
    Map<String, String> upstream = kind.upstreamPaths();
    Map<String, String> ours = kind.ourPaths();
    List<String> common = upstream.keySet().stream().filter(ours::containsKey).toList();
    List<String> mismatches =
        common.stream()
            .filter(p -> !upstream.get(p).equals(ours.get(p)))
            .map(p -> p + ": upstream " + upstream.get(p) + ", ours " + ours.get(p))
            .toList();

    System.out.printf(
        "%s: upstream %d paths, ours %d, %d compared, %d type mismatches%n",
        kind, upstream.size(), ours.size(), common.size(), mismatches.size());
    // Printed, not failed on: Strata may add fields, and fabric8's pod model may be newer than the
    // Kubernetes version upstream generated its CRD from.
    List<String> extra = ours.keySet().stream().filter(p -> !upstream.containsKey(p)).toList();
    long inPod = extra.stream().filter(UpstreamSchemaCoverageTest::isPodTemplateContent).count();
    System.out.println(
        Listing.of(
                kind + ": paths upstream lacks, " + inPod + " of them in the PodTemplateSpec",
                extra)
            .get());

    // A walk that found nothing would pass every check above; make sure the schemas were read.
    assertThat(common).hasSizeGreaterThan(100).contains(".spec", ".status");
    assertThat(mismatches)
        .withFailMessage(Listing.of(kind + ": paths whose type differs from upstream", mismatches))
        .isEmpty();
  }

  private static List<String> missing(Kind kind) {
    Map<String, String> ours = kind.ourPaths();
    return kind.upstreamPaths().keySet().stream()
        .filter(p -> !ours.containsKey(p))
        .filter(p -> !IMPLICIT_ROOT_FIELDS.contains(p))
        .toList();
  }

  private static boolean isPodTemplateContent(String path) {
    return POD_TEMPLATE_CONTENT.matcher(path).matches();
  }
}
