package dev.strata.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compiles every x-kubernetes-validations rule of a schema once, keyed by the schema node that
 * carries it, and collects the rules apiserver would refuse in a CRD.
 *
 * <p>Values are declared dynamic rather than typed from the schema, so a rule that names a field
 * the schema lacks compiles here and fails when evaluated, where apiserver would refuse the CRD.
 */
final class CelRuleCompiler {
  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  private static final CelOptions OPTIONS =
      CelOptions.current()
          // Kubernetes lets int, uint and double compare with each other.
          .enableHeterogeneousNumericComparisons(true)
          .build();

  private static final Cel RULES = environment(SimpleType.DYN);
  private static final Cel OPTIONAL_OLD_SELF_RULES =
      environment(OptionalType.create(SimpleType.DYN));

  private final Map<JsonNode, List<CompiledRule>> rules = new IdentityHashMap<>();
  private final List<String> errors = new ArrayList<>();

  private CelRuleCompiler() {}

  /** The kubernetes CRD environment: standard CEL, strings, sets and optionals. */
  private static Cel environment(CelType oldSelfType) {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(
            CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
        .addRuntimeLibraries(
            CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
        .addVar(SELF, SimpleType.DYN)
        .addVar(OLD_SELF, oldSelfType)
        .build();
  }

  /** The compiled rules by schema node, or the list of rules that do not compile. */
  record Compiled(Map<JsonNode, List<CompiledRule>> rules, List<String> errors) {}

  static Compiled compile(JsonNode rootSchema, String rootLocation) {
    CelRuleCompiler compiler = new CelRuleCompiler();
    compiler.visit(rootSchema, rootLocation, true);
    return new Compiled(compiler.rules, List.copyOf(compiler.errors));
  }

  private void visit(JsonNode schema, String location, boolean correlatable) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode validations = schema.get(SchemaNodes.VALIDATIONS);
    if (validations != null && validations.isArray()) {
      List<CompiledRule> compiled = new ArrayList<>();
      for (int i = 0; i < validations.size(); i++) {
        String ruleLocation = location + "." + SchemaNodes.VALIDATIONS + "[" + i + "]";
        CompiledRule rule = compileRule(validations.get(i), ruleLocation, correlatable);
        if (rule != null) {
          compiled.add(rule);
        }
      }
      rules.put(schema, List.copyOf(compiled));
    }
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      visit(property.getValue(), location + ".properties[" + property.getKey() + "]", correlatable);
    }
    visit(SchemaNodes.mapValues(schema), location + ".additionalProperties", correlatable);
    // apiserver pairs old and new list items only in lists keyed by x-kubernetes-list-map-keys.
    visit(
        SchemaNodes.items(schema),
        location + ".items",
        correlatable && SchemaNodes.isListMap(schema));
  }

  private CompiledRule compileRule(JsonNode spec, String location, boolean correlatable) {
    String source = spec.path("rule").asText("");
    if (source.isBlank()) {
      errors.add(location + ".rule: Required value");
      return null;
    }
    boolean optionalOldSelf = spec.path("optionalOldSelf").asBoolean(false);
    Cel cel = optionalOldSelf ? OPTIONAL_OLD_SELF_RULES : RULES;
    CelAbstractSyntaxTree ast;
    try {
      ast = cel.compile(source).getAst();
    } catch (CelValidationException e) {
      errors.add(location + ".rule: compilation failed: " + e.getMessage());
      return null;
    }
    if (!returns(ast, SimpleType.BOOL)) {
      errors.add(location + ".rule: must evaluate to a bool, not " + ast.getResultType().name());
      return null;
    }
    boolean transition =
        ast.getReferenceMap().values().stream().anyMatch(r -> r.name().equals(OLD_SELF));
    if (transition && !correlatable) {
      errors.add(
          location
              + ".rule: oldSelf cannot be used on the uncorrelatable portion of the schema"
              + " (inside a list that is not x-kubernetes-list-type: map)");
      return null;
    }
    CelRuntime.Program messageProgram = null;
    String messageExpression = spec.path("messageExpression").asText("");
    if (!messageExpression.isBlank()) {
      messageProgram = compileMessage(cel, messageExpression, location);
      if (messageProgram == null) {
        return null;
      }
    }
    try {
      return new CompiledRule(
          location,
          source,
          spec.path("message").asText(""),
          cel.createProgram(ast),
          messageProgram,
          spec.path("fieldPath").asText(""),
          spec.path("reason").asText(""),
          transition,
          optionalOldSelf);
    } catch (Exception e) {
      errors.add(location + ".rule: " + e.getMessage());
      return null;
    }
  }

  private CelRuntime.Program compileMessage(Cel cel, String expression, String location) {
    try {
      CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
      if (!returns(ast, SimpleType.STRING)) {
        errors.add(
            location
                + ".messageExpression: must evaluate to a string, not "
                + ast.getResultType().name());
        return null;
      }
      return cel.createProgram(ast);
    } catch (Exception e) {
      errors.add(location + ".messageExpression: compilation failed: " + e.getMessage());
      return null;
    }
  }

  private static boolean returns(CelAbstractSyntaxTree ast, CelType expected) {
    CelType actual = ast.getResultType();
    return actual.equals(expected) || actual.equals(SimpleType.DYN);
  }
}
