package dev.strata.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.admission.AdmissionResult;
import dev.strata.admission.CrdAdmission;
import dev.strata.admission.FieldViolation;
import dev.strata.api.testing.ProjectPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every x-kubernetes-validations rule in the committed CRDs, run by the real CEL engine against an
 * upstream example that passes and a mutation of it that fails. Rules are found by walking the
 * CRDs, so a new rule without a case here fails this test.
 */
class CrdCelRulesTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String MPIJOBS = "kubeflow.org_mpijobs.yaml";
  static final String TFJOBS = "kubeflow.org_tfjobs.yaml";
  static final Map<String, CrdAdmission> CRDS =
      Map.of(
          MPIJOBS, CrdAdmission.load(ProjectPaths.committedCrd(MPIJOBS)),
          TFJOBS, CrdAdmission.load(ProjectPaths.committedCrd(TFJOBS)));
  static final Map<String, String> VERSION = Map.of(MPIJOBS, "v2beta1", TFJOBS, "v1");
  static final Map<String, String> EXAMPLE =
      Map.of(MPIJOBS, "mpi-operator/pi-pi.yaml", TFJOBS, "training-operator/simple.yaml");

  /** A rule as found in a CRD: where it sits (schema path), its index there, and its text. */
  record FoundRule(String crd, String location, int index, String rule) {
    String key() {
      return crd + " " + location + " #" + index;
    }
  }

  /**
   * How to exercise one rule.
   *
   * @param before for a transition rule, turns the example into the old object; null otherwise
   * @param passing turns the example into an object the rule accepts
   * @param failing turns the example into an object the rule rejects
   * @param field the path the violation must name (in its field or, at the root, its message)
   * @param detail text the violation's message must contain
   */
  record RuleCase(
      Consumer<ObjectNode> before,
      Consumer<ObjectNode> passing,
      Consumer<ObjectNode> failing,
      String field,
      String detail) {}

  static final Map<String, RuleCase> CASES = new LinkedHashMap<>();

  static void rule(String crd, String location, int index, RuleCase ruleCase) {
    CASES.put(crd + " " + location + " #" + index, ruleCase);
  }

  static final Consumer<ObjectNode> UNCHANGED = o -> {};

  static {
    // MPIJob v2beta1, starting from pi-pi.yaml (Launcher 1, Worker 2).
    rule(
        MPIJOBS,
        "<root>",
        0,
        new RuleCase(
            null,
            UNCHANGED,
            o -> meta(o).put("name", "Pi-2"),
            "metadata.name",
            "metadata.name: must be a DNS-1035 label"));
    rule(
        MPIJOBS,
        "<root>",
        1,
        new RuleCase(
            null,
            // name + "-worker-" + "1" is 63 characters: the longest allowed.
            o -> meta(o).put("name", "p".repeat(54)),
            o -> meta(o).put("name", "p".repeat(55)),
            "metadata.name",
            "metadata.name: too long: the last worker pod would be named "
                + "p".repeat(55)
                + "-worker-1, longer than the 63 characters a DNS-1035 label allows"));
    rule(
        MPIJOBS,
        "spec",
        0,
        new RuleCase(
            null,
            o -> runPolicy(o).put("managedBy", "kueue.x-k8s.io/multikueue"),
            o -> runPolicy(o).put("managedBy", "example.com/other"),
            "spec.runPolicy.managedBy",
            "must be kubeflow.org/mpi-operator or kueue.x-k8s.io/multikueue"));
    rule(
        MPIJOBS,
        "spec.mpiReplicaSpecs",
        0,
        new RuleCase(
            null,
            UNCHANGED,
            o -> renameReplica(o, "mpiReplicaSpecs", "Worker", "Chief"),
            "spec.mpiReplicaSpecs",
            "replica types must be Launcher or Worker"));
    rule(
        MPIJOBS,
        "spec.mpiReplicaSpecs",
        1,
        new RuleCase(
            null,
            o -> replicas(o, "mpiReplicaSpecs").remove("Worker"),
            o -> replicas(o, "mpiReplicaSpecs").remove("Launcher"),
            "spec.mpiReplicaSpecs",
            "must have Launcher replica spec"));
    rule(
        MPIJOBS,
        "spec.mpiReplicaSpecs",
        2,
        new RuleCase(
            null,
            o -> replica(o, "mpiReplicaSpecs", "Launcher").remove("replicas"),
            o -> replica(o, "mpiReplicaSpecs", "Launcher").put("replicas", 2),
            "spec.mpiReplicaSpecs",
            "[Launcher].replicas: must be 1"));
    rule(
        MPIJOBS,
        "spec.mpiReplicaSpecs",
        3,
        new RuleCase(
            null,
            o -> replica(o, "mpiReplicaSpecs", "Worker").put("replicas", 1),
            o -> replica(o, "mpiReplicaSpecs", "Worker").put("replicas", 0),
            "spec.mpiReplicaSpecs",
            "[Worker].replicas: must be set and greater than or equal to 1"));
    rule(
        MPIJOBS,
        "spec.mpiReplicaSpecs[*]",
        0,
        new RuleCase(
            null,
            UNCHANGED,
            o -> podSpec(o, "mpiReplicaSpecs", "Worker").putArray("containers"),
            "spec.mpiReplicaSpecs[Worker]",
            "template.spec.containers: must define at least one container"));
    rule(MPIJOBS, "spec.runPolicy", 0, managedByIsImmutable("kubeflow.org/mpi-operator"));
    rule(MPIJOBS, "spec.runPolicy.schedulingPolicy.queue", 0, queueIsImmutable());

    // TFJob v1, starting from simple.yaml (Worker 2, container "tensorflow").
    rule(
        TFJOBS,
        "<root>",
        0,
        new RuleCase(
            null,
            UNCHANGED,
            o -> meta(o).put("name", "tfjob.simple"),
            "metadata.name",
            "metadata.name: must be a DNS-1035 label"));
    rule(
        TFJOBS,
        "<root>",
        1,
        new RuleCase(
            null,
            // name + "-worker-" + "1" is 63 characters: the longest allowed.
            o -> meta(o).put("name", "t".repeat(54)),
            o -> meta(o).put("name", "t".repeat(55)),
            "metadata.name",
            "metadata.name: too long: every pod and service name"));
    rule(
        TFJOBS,
        "spec",
        0,
        new RuleCase(
            null,
            o -> runPolicy(o).put("managedBy", "kubeflow.org/training-operator"),
            o -> runPolicy(o).put("managedBy", "kubeflow.org/mpi-operator"),
            "spec.runPolicy.managedBy",
            "must be kubeflow.org/training-operator or kueue.x-k8s.io/multikueue"));
    rule(
        TFJOBS,
        "spec.successPolicy",
        0,
        new RuleCase(
            null,
            o -> spec(o).put("successPolicy", "AllWorkers"),
            o -> spec(o).put("successPolicy", "AnyWorker"),
            "spec.successPolicy",
            "must be \"\" or AllWorkers"));
    rule(
        TFJOBS,
        "spec.tfReplicaSpecs",
        0,
        new RuleCase(
            null,
            o -> copyReplica(o, "tfReplicaSpecs", "Worker", "PS"),
            o -> copyReplica(o, "tfReplicaSpecs", "Worker", "Launcher"),
            "spec.tfReplicaSpecs",
            "replica types must be PS, Worker, Chief, Master or Evaluator"));
    rule(
        TFJOBS,
        "spec.tfReplicaSpecs",
        1,
        new RuleCase(
            null,
            o -> copyReplica(o, "tfReplicaSpecs", "Worker", "Chief"),
            o -> {
              copyReplica(o, "tfReplicaSpecs", "Worker", "Chief");
              copyReplica(o, "tfReplicaSpecs", "Worker", "Master");
            },
            "spec.tfReplicaSpecs",
            "must not have more than 1 Chief or Master role"));
    rule(
        TFJOBS,
        "spec.tfReplicaSpecs[*]",
        0,
        new RuleCase(
            null,
            UNCHANGED,
            o -> container(o, "tfReplicaSpecs", "Worker").put("name", "main"),
            "spec.tfReplicaSpecs[Worker]",
            "template.spec.containers: must have at least one container with name tensorflow"));
    rule(
        TFJOBS,
        "spec.tfReplicaSpecs[*]",
        1,
        new RuleCase(
            null,
            UNCHANGED,
            o -> container(o, "tfReplicaSpecs", "Worker").remove("image"),
            "spec.tfReplicaSpecs[Worker]",
            "template.spec.containers: every container must have an image"));
    rule(TFJOBS, "spec.runPolicy", 0, managedByIsImmutable("kubeflow.org/training-operator"));
    rule(TFJOBS, "spec.runPolicy.schedulingPolicy.queue", 0, queueIsImmutable());
  }

  static RuleCase managedByIsImmutable(String ownManager) {
    return new RuleCase(
        o -> runPolicy(o).put("managedBy", ownManager),
        o -> runPolicy(o).put("managedBy", ownManager),
        o -> runPolicy(o).put("managedBy", "kueue.x-k8s.io/multikueue"),
        "spec.runPolicy.managedBy",
        "spec.runPolicy.managedBy is immutable");
  }

  static RuleCase queueIsImmutable() {
    return new RuleCase(
        o -> schedulingPolicy(o).put("queue", "team-a"),
        o -> schedulingPolicy(o).put("queue", "team-a"),
        o -> schedulingPolicy(o).put("queue", "team-b"),
        "spec.runPolicy.schedulingPolicy.queue",
        "spec.runPolicy.schedulingPolicy.queue is immutable");
  }

  @TestFactory
  Stream<DynamicTest> everyRulePassesAndFails() {
    return foundRules().stream()
        .map(found -> DynamicTest.dynamicTest(found.key(), () -> check(found)));
  }

  @Test
  void everyCaseStillHasItsRule() {
    List<String> found = foundRules().stream().map(FoundRule::key).toList();
    assertThat(found).containsAll(CASES.keySet());
    assertThat(found).hasSize(CASES.size());
  }

  @Test
  void transitionRulesDoNotRunOnCreateNorWhenTheOldObjectLacksTheField() {
    for (String crd : List.of(MPIJOBS, TFJOBS)) {
      ObjectNode changed = example(crd);
      runPolicy(changed).put("managedBy", "kueue.x-k8s.io/multikueue");
      schedulingPolicy(changed).put("queue", "team-b");
      ObjectNode old = example(crd);
      schedulingPolicy(old);

      assertThat(admit(crd, changed, null).violations()).as(crd + " create").isEmpty();
      // managedBy may not appear later, but a queue may be set where none was.
      assertThat(admit(crd, changed, old).violations())
          .as(crd + " update")
          .extracting(FieldViolation::field)
          .containsExactly("spec.runPolicy.managedBy");
    }
  }

  void check(FoundRule found) {
    RuleCase ruleCase = CASES.get(found.key());
    if (ruleCase == null) {
      fail(
          "no case in CrdCelRulesTest for the rule "
              + found.key()
              + ": "
              + found.rule()
              + "; add one that passes and one that fails");
    }
    ObjectNode old = null;
    if (ruleCase.before() != null) {
      old = example(found.crd());
      ruleCase.before().accept(old);
    }
    ObjectNode passing = example(found.crd());
    ruleCase.passing().accept(passing);
    AdmissionResult accepted = admit(found.crd(), passing, old);
    assertThat(accepted.violations()).as("passing case: " + accepted.invalidMessage()).isEmpty();

    ObjectNode failing = example(found.crd());
    ruleCase.failing().accept(failing);
    AdmissionResult rejected = admit(found.crd(), failing, old);
    assertThat(rejected.violations())
        .as("failing case: " + rejected.invalidMessage())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.detail()).contains(ruleCase.detail());
              if (ruleCase.field().startsWith("metadata.")) {
                // apiserver reports root rules at <nil>; the message names the field instead.
                assertThat(v.field()).isEqualTo("<nil>");
                assertThat(v.detail()).startsWith(ruleCase.field() + ":");
              } else {
                assertThat(v.field()).isEqualTo(ruleCase.field());
              }
              assertThat(v.toString()).contains(ruleCase.field());
            });
    if (ruleCase.before() != null) {
      assertThat(admit(found.crd(), failing, null).violations())
          .as("a transition rule does not run on create")
          .isEmpty();
    }
  }

  static AdmissionResult admit(String crd, JsonNode object, JsonNode old) {
    return CRDS.get(crd).admit(VERSION.get(crd), object, old);
  }

  static List<FoundRule> foundRules() {
    List<FoundRule> found = new ArrayList<>();
    for (String crd : List.of(MPIJOBS, TFJOBS)) {
      try {
        JsonNode versions = YAML.readTree(ProjectPaths.committedCrd(crd).toFile()).path("spec");
        for (JsonNode version : versions.path("versions")) {
          walk(crd, version.path("schema").path("openAPIV3Schema"), "", found);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return found;
  }

  /** Schema locations read like field paths: properties dotted, map values [*], items []. */
  static void walk(String crd, JsonNode schema, String location, List<FoundRule> found) {
    JsonNode rules = schema.path("x-kubernetes-validations");
    for (int i = 0; i < rules.size(); i++) {
      found.add(
          new FoundRule(
              crd,
              location.isEmpty() ? "<root>" : location,
              i,
              rules.get(i).path("rule").asText()));
    }
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      String name = property.getKey();
      walk(crd, property.getValue(), location.isEmpty() ? name : location + "." + name, found);
    }
    if (schema.path("additionalProperties").isObject()) {
      walk(crd, schema.path("additionalProperties"), location + "[*]", found);
    }
    if (schema.path("items").isObject()) {
      walk(crd, schema.path("items"), location + "[]", found);
    }
  }

  static ObjectNode example(String crd) {
    try {
      return (ObjectNode)
          YAML.readTree(ProjectPaths.upstreamCompat().resolve(EXAMPLE.get(crd)).toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode meta(ObjectNode o) {
    return o.with("metadata");
  }

  static ObjectNode spec(ObjectNode o) {
    return o.with("spec");
  }

  static ObjectNode runPolicy(ObjectNode o) {
    return spec(o).with("runPolicy");
  }

  static ObjectNode schedulingPolicy(ObjectNode o) {
    return runPolicy(o).with("schedulingPolicy");
  }

  static ObjectNode replicas(ObjectNode o, String field) {
    return spec(o).with(field);
  }

  static ObjectNode replica(ObjectNode o, String field, String type) {
    return replicas(o, field).with(type);
  }

  static ObjectNode podSpec(ObjectNode o, String field, String type) {
    return replica(o, field, type).with("template").with("spec");
  }

  static ObjectNode container(ObjectNode o, String field, String type) {
    return (ObjectNode) ((ArrayNode) podSpec(o, field, type).get("containers")).get(0);
  }

  static void renameReplica(ObjectNode o, String field, String from, String to) {
    ObjectNode specs = replicas(o, field);
    specs.set(to, specs.remove(from));
  }

  static void copyReplica(ObjectNode o, String field, String from, String to) {
    ObjectNode specs = replicas(o, field);
    ObjectNode copy = specs.get(from).deepCopy();
    copy.put("replicas", 1);
    specs.set(to, copy);
  }
}
