package dev.strata.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * fabric8's generator sorts printer columns by JSON path, which puts Age (.metadata) first; kubectl
 * shows them in CRD order, and users expect {@code NAME STATE … AGE} as upstream prints it. The
 * committed CRD is the generated one with State moved first and Age last.
 */
final class PrinterColumnOrder {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PrinterColumnOrder() {}

  static String apply(String generatedYaml) {
    CustomResourceDefinition crd =
        SERIALIZATION.unmarshal(generatedYaml, CustomResourceDefinition.class);
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(PrinterColumnOrder::rank));
      version.setAdditionalPrinterColumns(columns);
    }
    return SERIALIZATION.asYaml(crd);
  }

  private static int rank(CustomResourceColumnDefinition column) {
    return switch (column.getName()) {
      case "State" -> 0;
      case "Age" -> 2;
      default -> 1;
    };
  }
}
