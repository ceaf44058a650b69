package dev.strata.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CrdAdmissionTest {
  static CrdAdmission widgets;

  @BeforeAll
  static void loadCrd() throws URISyntaxException {
    widgets =
        CrdAdmission.load(Path.of(CrdAdmissionTest.class.getResource("/widgets-crd.yaml").toURI()));
  }

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A valid widget with the given lines added under spec (indented by the caller). */
  static JsonNode widget(String specLines) {
    return yaml(
        """
        apiVersion: test.strata.dev/v1
        kind: Widget
        metadata:
          name: w-one
          namespace: default
          labels:
            team: a
        spec:
          mode: Fast
        """
            + specLines.indent(2));
  }

  static AdmissionResult admit(JsonNode object) {
    return widgets.admit("v1", object);
  }

  static List<String> messages(AdmissionResult result) {
    return result.violations().stream().map(FieldViolation::toString).toList();
  }

  @Test
  void describesTheCrd() {
    assertThat(widgets.name()).isEqualTo("widgets.test.strata.dev");
    assertThat(widgets.qualifiedKind()).isEqualTo("Widget.test.strata.dev");
    assertThat(widgets.servedVersions()).containsExactly("v1");
  }

  @Nested
  class Defaulting {
    @Test
    void fillsAbsentFieldsInsideObjectsThatExist() {
      JsonNode input =
          widget(
              """
              components:
                web:
                  image: nginx
              containers:
              - name: main
              """);
      AdmissionResult result = admit(input);

      assertThat(messages(result)).isEmpty();
      JsonNode spec = result.object().path("spec");
      assertThat(spec.path("maxReplicas").asInt()).isEqualTo(10);
      // settings defaults to {} and then its own properties default inside it.
      assertThat(spec.path("settings"))
          .isEqualTo(yaml("{\"level\": \"info\", \"verbose\": false}"));
      assertThat(spec.path("components").path("web").path("size").asInt()).isEqualTo(1);
      assertThat(spec.path("containers").path(0).path("pullPolicy").asText())
          .isEqualTo("IfNotPresent");
      assertThat(spec.has("tags")).isFalse();
      assertThat(input.path("spec").has("maxReplicas")).as("input left alone").isFalse();
    }

    @Test
    void keepsValuesThatAreSet() {
      AdmissionResult result = admit(widget("maxReplicas: 3\nsettings:\n  level: debug\n"));

      assertThat(result.object().path("spec").path("maxReplicas").asInt()).isEqualTo(3);
      assertThat(result.object().path("spec").path("settings").path("level").asText())
          .isEqualTo("debug");
    }

    @Test
    void replacesNullOfANonNullableFieldThatHasADefault() {
      AdmissionResult result = admit(widget("maxReplicas: null\n"));

      assertThat(messages(result)).isEmpty();
      assertThat(result.object().path("spec").path("maxReplicas").asInt()).isEqualTo(10);
    }
  }

  @Nested
  class Pruning {
    @Test
    void dropsUnknownFieldsAndReportsWhere() {
      AdmissionResult result =
          admit(
              yaml(
                  """
                  apiVersion: test.strata.dev/v1
                  kind: Widget
                  metadata:
                    name: w-one
                  bogus: 1
                  spec:
                    mode: Fast
                    typo: 2
                    components:
                      web:
                        image: nginx
                        colour: red
                    containers:
                    - name: main
                      imagePullPolicy: Always
                    extra:
                      known: value
                      anything: {goes: here}
                    template:
                      apiVersion: v1
                      kind: Pod
                      metadata:
                        name: p
                      spec:
                        x: y
                        z: gone
                      other: gone
                  status:
                    whatever: kept
                  """));

      assertThat(result.prunedFields())
          .containsExactlyInAnyOrder(
              "bogus",
              "spec.typo",
              "spec.components[web].colour",
              "spec.containers[0].imagePullPolicy",
              "spec.template.spec.z",
              "spec.template.other");
      assertThat(result.warnings()).contains("unknown field \"spec.typo\"");
      JsonNode spec = result.object().path("spec");
      assertThat(spec.has("typo")).isFalse();
      assertThat(spec.path("extra").path("anything").path("goes").asText()).isEqualTo("here");
      assertThat(spec.path("template").path("kind").asText()).isEqualTo("Pod");
      assertThat(spec.path("template").path("metadata").path("name").asText()).isEqualTo("p");
      assertThat(result.object().path("status").path("whatever").asText()).isEqualTo("kept");
      assertThat(result.object().path("metadata").path("name").asText()).isEqualTo("w-one");
      assertThat(messages(result)).isEmpty();
    }
  }

  @Nested
  class OpenApiSchema {
    @Test
    void enumListsTheSupportedValues() {
      JsonNode object = widget("");
      ((ObjectNode) object.path("spec")).put("mode", "Medium");
      assertThat(messages(admit(object)))
          .contains(
              "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"");
    }

    @Test
    void minimum() {
      assertThat(messages(admit(widget("replicas: -1\n"))))
          .containsExactly(
              "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or"
                  + " equal to 0");
    }

    @Test
    void requiredFieldsAtTheTopAndInListItems() {
      JsonNode object =
          yaml(
              """
              apiVersion: test.strata.dev/v1
              kind: Widget
              metadata: {name: w-one}
              spec:
                containers:
                - image: nginx
              """);

      assertThat(messages(admit(object)))
          .contains("spec.mode: Required value", "spec.containers[0].name: Required value")
          // Required errors stop CEL rules, as in apiserver.
          .contains(
              "<nil>: Invalid value: \"null\": some validation rules were not checked because the"
                  + " object was invalid; correct the existing errors to complete validation");
    }

    @Test
    void intOrStringTakesEitherButNothingElse() {
      assertThat(messages(admit(widget("port: 8080\n")))).isEmpty();
      assertThat(messages(admit(widget("port: http\n")))).isEmpty();
      assertThat(messages(admit(widget("port: true\n"))))
          .contains(
              "spec.port: Invalid value: \"boolean\": spec.port in body must be of type"
                  + " integer,string: \"boolean\"");
    }

    @Test
    void wrongTypesAreReportedWithTheirTypeNames() {
      assertThat(messages(admit(widget("replicas: \"3\"\n"))))
          .contains(
              "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type"
                  + " integer: \"string\"");
      assertThat(messages(admit(widget("components: [a, b]\n"))))
          .contains(
              "spec.components: Invalid value: \"array\": spec.components in body must be of"
                  + " type object: \"array\"");
    }

    @Test
    void tooLongAndTooMany() {
      assertThat(messages(admit(widget("name: muchtoolong\n"))))
          .contains("spec.name: Too long: may not be more than 8 bytes");
      assertThat(messages(admit(widget("name: \"\"\n"))))
          .contains(
              "spec.name: Invalid value: \"\": spec.name in body should be at least 1 chars long");
      assertThat(messages(admit(widget("tags: [a, b, c, d]\n"))))
          .contains("spec.tags: Too many: 4: must have at most 3 items");
      assertThat(
              messages(
                  admit(
                      widget(
                          "components: {a: {image: x}, b: {image: x}, c: {image: x}, d: {image:"
                              + " x}}\n"))))
          .contains("spec.components: Too many: 4: must have at most 3 items");
    }

    @Test
    void nullsAreKeptWhereNullableAndOtherwiseMeanUnset() {
      assertThat(messages(admit(widget("nickname: null\n")))).isEmpty();
      assertThat(admit(widget("nickname: null\n")).object().path("spec").has("nickname")).isTrue();
      // A null where the schema allows none and has no default means "not set", as in a
      // manifest's "command:" with nothing after it.
      AdmissionResult unset = admit(widget("replicas: null\n"));
      assertThat(messages(unset)).isEmpty();
      assertThat(unset.object().path("spec").has("replicas")).isFalse();
      assertThat(unset.prunedFields()).isEmpty();
      // List items are not dropped, so a null item is still the wrong type.
      assertThat(messages(admit(widget("tags: [a, null]\n"))))
          .contains(
              "spec.tags[1]: Invalid value: \"null\": spec.tags[1] in body must be of type"
                  + " string: \"null\"");
    }
  }

  @Nested
  class CelRules {
    @Test
    void mapRuleSeesKeysAndMapValueRuleRunsForEveryValue() {
      assertThat(messages(admit(widget("components: {web: {image: a}, db: {image: b}}\n"))))
          .isEmpty();
      assertThat(messages(admit(widget("components: {Web: {image: a}}\n"))))
          .containsExactly(
              "spec.components: Invalid value: \"object\": component names must be lower case");
      assertThat(messages(admit(widget("components: {web: {image: a}, db: {}}\n"))))
          .containsExactly("spec.components[db]: Invalid value: \"object\": image: Required value");
    }

    @Test
    void listItemRuleRunsForEveryItem() {
      assertThat(
              messages(admit(widget("containers:\n- name: main\n- name: Side\n- name: other\n"))))
          .containsExactly(
              "spec.containers[1]: Invalid value: \"object\": name must be lower-case letters");
    }

    @Test
    void messageExpressionIsEvaluated() {
      assertThat(messages(admit(widget("replicas: 20\n"))))
          .containsExactly("spec: Invalid value: \"object\": replicas 20 exceeds maxReplicas 10");
    }

    @Test
    void failingMessageExpressionFallsBackToMessage() {
      assertThat(messages(admit(widget("ratio: 2\n"))))
          .containsExactly("spec: Invalid value: \"object\": ratio must be below 1");
      assertThat(messages(admit(widget("ratio: 0.5\n")))).isEmpty();
    }

    @Test
    void fieldPathAndReasonShapeTheViolation() {
      assertThat(messages(admit(widget("owner: \"\"\n"))))
          .containsExactly("spec.owner: Forbidden: must not be empty");
    }

    @Test
    void runtimeErrorsBecomeViolations() {
      List<String> divideByZero = messages(admit(widget("limits: {cpu: 4, divisor: 0}\n")));
      assertThat(divideByZero).hasSize(1);
      assertThat(divideByZero.get(0))
          .startsWith("spec.limits: Invalid value: \"object\": ")
          .contains("by zero")
          .endsWith("evaluating rule: cpu limit must be positive");

      assertThat(messages(admit(widget("limits: {cpu: 4}\n"))))
          .singleElement()
          .asString()
          .contains("divisor")
          .endsWith("evaluating rule: cpu limit must be positive");
      assertThat(messages(admit(widget("limits: {cpu: 4, divisor: 2}\n")))).isEmpty();
    }

    @Test
    void rootRulesSeeOnlyNameAndGenerateNameOfMetadata() {
      // The base widget has labels; the root rule that would reject them never sees them.
      assertThat(messages(admit(widget("")))).isEmpty();
      JsonNode misnamed = widget("");
      ((ObjectNode) misnamed.path("metadata")).put("name", "one");
      assertThat(messages(admit(misnamed)))
          .containsExactly("<nil>: Invalid value: \"object\": metadata.name: must start with w-");
    }

    @Test
    void transitionRulesRunOnlyOnUpdateWhereTheOldValueExists() {
      assertThat(messages(admit(widget("queue: a\n")))).isEmpty();
      assertThat(messages(widgets.admit("v1", widget("queue: a\n"), widget("queue: a\n"))))
          .isEmpty();
      assertThat(messages(widgets.admit("v1", widget("queue: b\n"), widget("queue: a\n"))))
          .containsExactly("spec.queue: Invalid value: \"string\": queue is immutable");
      // Setting a queue that was never set has nothing to compare with.
      assertThat(messages(widgets.admit("v1", widget("queue: b\n"), widget("")))).isEmpty();
    }

    @Test
    void transitionRulesInListMapItemsCorrelateByKey() {
      JsonNode old = widget("ports:\n- {name: http, number: 80}\n- {name: admin, number: 9000}\n");
      JsonNode reordered =
          widget("ports:\n- {name: admin, number: 9000}\n- {name: http, number: 80}\n");
      JsonNode renumbered =
          widget("ports:\n- {name: http, number: 8080}\n- {name: metrics, number: 9090}\n");

      assertThat(messages(widgets.admit("v1", reordered, old))).isEmpty();
      assertThat(messages(widgets.admit("v1", renumbered, old)))
          .containsExactly("spec.ports[0]: Invalid value: \"object\": port number is immutable");
    }
  }

  @Nested
  class BadInput {
    @Test
    void nonObjectSpecIsAViolationNotAnException() {
      JsonNode object = widget("");
      ((ObjectNode) object).put("spec", "text");

      AdmissionResult result = admit(object);

      assertThat(messages(result))
          .contains(
              "spec: Invalid value: \"string\": spec in body must be of type object: \"string\"");
      assertThat(result.allowed()).isFalse();
    }

    @Test
    void nonObjectDocumentsAndUnknownVersionsAreViolations() {
      JsonNodeFactory json = JsonNodeFactory.instance;
      assertThat(widgets.admit("v1", json.arrayNode()).allowed()).isFalse();
      assertThat(widgets.admit("v1", json.textNode("spec")).allowed()).isFalse();
      assertThat(widgets.admit("v1", (JsonNode) null).allowed()).isFalse();
      assertThat(widgets.admit("v1", json.nullNode()).allowed()).isFalse();
      assertThat(messages(widgets.admit("v1alpha1", widget(""))))
          .containsExactly(
              "apiVersion: Unsupported value: \"test.strata.dev/v1alpha1\": supported values:"
                  + " \"test.strata.dev/v1\"");
      assertThat(widgets.admit(null, widget("")).allowed()).isFalse();
    }

    @Test
    void garbageAnywhereNeverThrows() {
      List<String> specs =
          List.of(
              "components: {web: 3}\n",
              "components: {web: {image: [1]}}\n",
              "containers: [1, \"two\", null, {name: 3}]\n",
              "limits: {cpu: x}\n",
              "limits: [1]\n",
              "ports: {name: http}\n",
              "ports: [{name: http, number: 1}, {name: http, number: 2}]\n",
              "replicas: 1.5\n",
              "replicas: 99999999999999999999999\n",
              "settings: null\n",
              "template: 7\n",
              "extra: [1]\n",
              "queue: {a: b}\n");
      for (String spec : specs) {
        JsonNode object = widget(spec);
        assertThat(widgets.admit("v1", object, object)).as(spec).isNotNull();
        assertThat(widgets.admit("v1", object, widget("queue: q\nports: [{name: http}]\n")))
            .as(spec)
            .isNotNull();
      }
      assertThat(widgets.admit("v1", "{not yaml: [", null).allowed()).isFalse();
    }

    @Test
    void badMetadataMakesTheRootRuleErrorInsteadOfThrowing() {
      JsonNode object = widget("");
      ((ObjectNode) object).remove("metadata");

      assertThat(messages(admit(object)))
          .hasSize(2)
          .allSatisfy(
              m ->
                  assertThat(m)
                      .startsWith("<nil>: Invalid value: \"object\": ")
                      .contains("key 'metadata' is not present"))
          .anySatisfy(
              m -> assertThat(m).endsWith("evaluating rule: metadata.name: must start with w-"));
    }
  }

  @Test
  void invalidMessageReadsLikeApiserver() {
    AdmissionResult one = admit(widget("replicas: 20\n"));
    assertThat(one.invalidMessage())
        .isEqualTo(
            "Widget.test.strata.dev \"w-one\" is invalid: spec: Invalid value: \"object\":"
                + " replicas 20 exceeds maxReplicas 10");

    AdmissionResult two = admit(widget("replicas: 20\nowner: \"\"\n"));
    assertThat(two.invalidMessage())
        .isEqualTo(
            "Widget.test.strata.dev \"w-one\" is invalid: [spec: Invalid value: \"object\":"
                + " replicas 20 exceeds maxReplicas 10, spec.owner: Forbidden: must not be"
                + " empty]");
    assertThat(admit(widget("")).invalidMessage()).isEmpty();
  }

  @Nested
  class Loading {
    static String crdWith(String specProperties) {
      return """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: things.test.strata.dev}
          spec:
            group: test.strata.dev
            names: {kind: Thing, plural: things}
            scope: Namespaced
            versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
          """
          + specProperties.indent(16);
    }

    @Test
    void rulesThatDoNotCompileAreAllReported() {
      String crd =
          crdWith(
              """
              a:
                type: string
                x-kubernetes-validations:
                - rule: "self.startsWith("
              b:
                type: string
                x-kubernetes-validations:
                - rule: "size(self)"
              c:
                type: string
                x-kubernetes-validations:
                - rule: "self != ''"
                  messageExpression: "size(self)"
              d:
                type: array
                items:
                  type: string
                  x-kubernetes-validations:
                  - rule: "self == oldSelf"
              e:
                type: string
                x-kubernetes-validations:
                - rule: "self.unknownFunction()"
              """);

      assertThatThrownBy(() -> CrdAdmission.fromYaml(crd))
          .isInstanceOfSatisfying(
              InvalidCrdException.class,
              e ->
                  assertThat(e.problems())
                      .hasSize(5)
                      .anySatisfy(
                          p ->
                              assertThat(p)
                                  .startsWith(
                                      "spec.versions[0].schema.openAPIV3Schema.properties[spec]"
                                          + ".properties[a].x-kubernetes-validations[0].rule:"
                                          + " compilation failed"))
                      .anySatisfy(
                          p -> assertThat(p).contains("[b]").contains("must evaluate to a bool"))
                      .anySatisfy(
                          p ->
                              assertThat(p)
                                  .contains("[c]")
                                  .contains("messageExpression: must evaluate to a string"))
                      .anySatisfy(p -> assertThat(p).contains("[d].items").contains("oldSelf"))
                      .anySatisfy(p -> assertThat(p).contains("[e]").contains("unknownFunction")))
          .hasMessageContaining("things.test.strata.dev");
    }

    @Test
    void optionalOldSelfRulesAlsoRunOnCreate() {
      CrdAdmission things =
          CrdAdmission.fromYaml(
              crdWith(
                  """
                  tier:
                    type: string
                    x-kubernetes-validations:
                    - rule: "oldSelf.hasValue() ? self == oldSelf.value() : self.startsWith('gold')"
                      optionalOldSelf: true
                      message: "tier starts gold and never changes"
                  """));
      JsonNode gold = yaml("{metadata: {name: t}, spec: {tier: gold}}");
      JsonNode silver = yaml("{metadata: {name: t}, spec: {tier: silver}}");

      assertThat(things.admit("v1", gold).allowed()).isTrue();
      assertThat(messages(things.admit("v1", silver)))
          .containsExactly(
              "spec.tier: Invalid value: \"string\": tier starts gold and never changes");
      assertThat(things.admit("v1", gold, gold).allowed()).isTrue();
      assertThat(things.admit("v1", silver, gold).allowed()).isFalse();
    }

    @Test
    void stringExtensionsAndNumbersBehaveLikeKubernetes() {
      CrdAdmission things =
          CrdAdmission.fromYaml(
              crdWith(
                  """
                  words:
                    type: object
                    additionalProperties:
                      type: string
                    x-kubernetes-validations:
                    - rule: "self.all(k, self[k].upperAscii() == self[k] && k.lowerAscii() == k)"
                    - rule: "self.filter(k, k.startsWith('x')).size() <= 1"
                  weight:
                    type: number
                    x-kubernetes-validations:
                    - rule: "self < 2.5 && self >= 1"
                  count:
                    type: integer
                    x-kubernetes-validations:
                    - rule: "string(self) + 'x' == '3x' && self / 2 == 1"
                  """));

      assertThat(
              messages(
                  things.admit(
                      "v1",
                      yaml(
                          "{metadata: {name: t}, spec: {words: {a: AB, xb: C}, weight: 2, count:"
                              + " 3}}"))))
          .isEmpty();
      assertThat(
              messages(
                  things.admit(
                      "v1", yaml("{metadata: {name: t}, spec: {words: {a: ab, xa: A, xb: B}}}"))))
          .containsExactly(
              "spec.words: Invalid value: \"object\": failed rule: self.all(k,"
                  + " self[k].upperAscii() == self[k] && k.lowerAscii() == k)",
              "spec.words: Invalid value: \"object\": failed rule: self.filter(k,"
                  + " k.startsWith('x')).size() <= 1");
    }
  }
}
