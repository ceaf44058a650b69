package dev.strata.virtualnode;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The node half's models are pure: capacity, the Node and Lease, the tenant scope, the parsing of
 * kubelet requests take input and return answers; only the controllers and servers call out.
 */
@AnalyzeClasses(
    packages = "dev.strata.virtualnode",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final Set<String> PURE =
      Set.of(
          "dev.strata.virtualnode.node.CapacityCalculator",
          "dev.strata.virtualnode.node.NodeModel",
          "dev.strata.virtualnode.node.LeaseModel",
          "dev.strata.virtualnode.node.NodeHealth",
          "dev.strata.virtualnode.node.NodeOptions",
          "dev.strata.virtualnode.node.ComputeObservation",
          "dev.strata.virtualnode.node.ComputeReachability",
          "dev.strata.virtualnode.isolation.TenantScope",
          "dev.strata.virtualnode.kubelet.ContainerLogsRequest",
          "dev.strata.virtualnode.kubelet.RequestAttributes");

  @ArchTest
  static final ArchRule modelsMakeNoCalls =
      noClasses()
          .that(
              DescribedPredicate.describe(
                  "are the node half's pure models",
                  (JavaClass c) -> PURE.contains(c.getName().replaceAll("\\$.*", ""))))
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8.kubernetes.client.dsl..",
              "io.fabric8.kubernetes.client.http..",
              "java.net.http..",
              "com.sun.net.httpserver..")
          .because("pure models take input and return answers; controllers apply them");
}
