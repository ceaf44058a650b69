package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admits custom resources against a CustomResourceDefinition as kube-apiserver does on create and
 * update: prune unknown fields, apply schema defaults, validate the OpenAPI schema, then evaluate
 * the x-kubernetes-validations CEL rules.
 *
 * <p>Loading compiles every rule of every served version once and fails, listing each problem, if
 * apiserver would refuse the CRD for its rules. Admission itself never throws on bad input: it
 * reports violations. Instances are immutable and safe to share between threads.
 */
public final class CrdAdmission {
  private static final ObjectMapper JSON = new ObjectMapper();
  // YAML is (nearly) a superset of JSON, so one reader takes manifests in either form.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String name;
  private final String kind;
  private final String group;
  private final Map<String, VersionAdmission> versions;

  private CrdAdmission(
      String name, String kind, String group, Map<String, VersionAdmission> versions) {
    this.name = name;
    this.kind = kind;
    this.group = group;
    this.versions = versions;
  }

  /** Loads a CRD from a YAML (or JSON) file. */
  public static CrdAdmission load(Path crdFile) {
    try {
      return fromYaml(Files.readString(crdFile));
    } catch (IOException e) {
      throw new InvalidCrdException("cannot read " + crdFile + ": " + e.getMessage(), e);
    }
  }

  /** Loads a CRD from YAML (or JSON) text. */
  public static CrdAdmission fromYaml(String crdYaml) {
    CustomResourceDefinition crd;
    try {
      crd = Serialization.unmarshal(crdYaml, CustomResourceDefinition.class);
    } catch (RuntimeException e) {
      throw new InvalidCrdException("not a CustomResourceDefinition: " + e.getMessage(), e);
    }
    if (crd == null) {
      throw new InvalidCrdException("", List.of("not a CustomResourceDefinition: empty document"));
    }
    return of(crd);
  }

  public static CrdAdmission of(CustomResourceDefinition crd) {
    String crdName = crd.getMetadata() == null ? "" : crd.getMetadata().getName();
    if (crd.getSpec() == null || crd.getSpec().getNames() == null) {
      throw new InvalidCrdException(crdName, List.of("spec.names: Required value"));
    }
    List<String> problems = new ArrayList<>();
    Map<String, VersionAdmission> versions = new LinkedHashMap<>();
    List<CustomResourceDefinitionVersion> declared =
        crd.getSpec().getVersions() == null ? List.of() : crd.getSpec().getVersions();
    for (int i = 0; i < declared.size(); i++) {
      CustomResourceDefinitionVersion version = declared.get(i);
      if (!Boolean.TRUE.equals(version.getServed())) {
        continue;
      }
      String location = "spec.versions[" + i + "].schema.openAPIV3Schema";
      if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
        problems.add(location + ": Required value");
        continue;
      }
      JsonNode schema = JSON.valueToTree(version.getSchema().getOpenAPIV3Schema());
      CelRuleCompiler.Compiled compiled = CelRuleCompiler.compile(schema, location);
      problems.addAll(compiled.errors());
      versions.put(
          version.getName(),
          new VersionAdmission(schema, new CelRuleValidator(schema, compiled.rules())));
    }
    if (!problems.isEmpty()) {
      throw new InvalidCrdException(crdName, problems);
    }
    return new CrdAdmission(
        crdName,
        crd.getSpec().getNames().getKind(),
        crd.getSpec().getGroup(),
        Map.copyOf(versions));
  }

  /** The CRD's name, e.g. {@code mpijobs.kubeflow.org}. */
  public String name() {
    return name;
  }

  public String kind() {
    return kind;
  }

  public String group() {
    return group;
  }

  /** Kind and group as apiserver names them in errors, e.g. {@code MPIJob.kubeflow.org}. */
  public String qualifiedKind() {
    return kind + "." + group;
  }

  public List<String> servedVersions() {
    return List.copyOf(versions.keySet());
  }

  /** Admits a create. */
  public AdmissionResult admit(String version, JsonNode object) {
    return admit(version, object, null);
  }

  /**
   * Admits a create ({@code oldObjectOrNull} null) or an update of {@code oldObjectOrNull} to
   * {@code object}. Neither argument is modified; the result carries the object as it would be
   * stored.
   */
  public AdmissionResult admit(String version, JsonNode object, JsonNode oldObjectOrNull) {
    VersionAdmission admission = version == null ? null : versions.get(version);
    if (admission == null) {
      List<String> served = servedVersions();
      return rejected(
          object,
          FieldViolation.notSupported(
              FieldPath.root().child("apiVersion"),
              JSON.getNodeFactory().textNode(group + "/" + version),
              served.stream().map(v -> group + "/" + v).toList()));
    }
    if (!(object instanceof ObjectNode objectNode)) {
      return rejected(
          object,
          new FieldViolation(
              "<nil>",
              ViolationType.TYPE_INVALID,
              FieldViolation.quote(JsonTypes.of(object)),
              "the object must be of type object"));
    }
    try {
      return admission.admit(qualifiedKind(), objectNode, oldObjectOrNull);
    } catch (RuntimeException | StackOverflowError e) {
      // A bug here must not take the API server down; the caller sees a 500-style violation.
      return rejected(
          object, new FieldViolation("<nil>", ViolationType.INTERNAL, null, String.valueOf(e)));
    }
  }

  /** Admits YAML or JSON text, e.g. a manifest a user would kubectl apply. */
  public AdmissionResult admit(String version, String objectYaml, String oldObjectYamlOrNull) {
    JsonNode object = parse(objectYaml);
    if (object == null) {
      return rejected(
          null,
          new FieldViolation(
              "<nil>", ViolationType.INVALID, null, "the object is not valid YAML or JSON"));
    }
    return admit(version, object, oldObjectYamlOrNull == null ? null : parse(oldObjectYamlOrNull));
  }

  private static JsonNode parse(String text) {
    try {
      return text == null ? null : YAML.readTree(text);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private AdmissionResult rejected(JsonNode object, FieldViolation violation) {
    return new AdmissionResult(qualifiedKind(), object, List.of(violation), List.of());
  }
}
