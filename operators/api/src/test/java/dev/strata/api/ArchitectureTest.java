package dev.strata.api;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The API module is what every other module, and users' own tools, build on: it depends on nothing
 * else of Strata's and talks to no API server. Model, defaults and validation are pure functions.
 */
@AnalyzeClasses(packages = "dev.strata.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule dependsOnNothingElseOfOurs =
      noClasses()
          .that()
          .resideInAPackage("dev.strata.api..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.strata..").and(not(resideInAPackage("dev.strata.api.."))))
          .because("operators/api is the bottom layer");

  @ArchTest
  static final ArchRule makesNoApiCalls =
      noClasses()
          .that()
          .resideInAPackage("dev.strata.api..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8.kubernetes.client.dsl..",
              "io.fabric8.kubernetes.client.informers..",
              "io.javaoperatorsdk..",
              "java.net.http..")
          .because("model, defaults and validation are pure: spec in, answer out");
}
