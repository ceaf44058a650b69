package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.admission.CrdAdmission;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * One served version of a CustomResourceDefinition: its discovery entry, schema, printer columns
 * and the admission that kube-apiserver would run for it.
 *
 * @param crd the whole definition, as stored in the API server
 * @param resource the discovery entry
 * @param schema the version's openAPIV3Schema
 * @param printerColumns additionalPrinterColumns in declared order
 * @param statusSubresource whether {@code /status} is a subresource
 * @param admission pruning, defaults, schema and CEL rules of the definition
 */
public record CustomResourceType(
    CustomResourceDefinition crd,
    ApiResource resource,
    JsonNode schema,
    List<PrinterColumn> printerColumns,
    boolean statusSubresource,
    CrdAdmission admission) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One additional printer column. */
  public record PrinterColumn(
      String name, String type, String format, String description, int priority, String jsonPath) {}

  /** Every served version of {@code crd}; the CRD's rules are compiled once for all. */
  public static List<CustomResourceType> of(CustomResourceDefinition crd) {
    CrdAdmission admission = CrdAdmission.of(crd);
    var spec = crd.getSpec();
    var names = spec.getNames();
    List<CustomResourceType> types = new ArrayList<>();
    for (CustomResourceDefinitionVersion version : spec.getVersions()) {
      if (!Boolean.TRUE.equals(version.getServed())) {
        continue;
      }
      boolean status =
          version.getSubresources() != null && version.getSubresources().getStatus() != null;
      List<String> subresources = new ArrayList<>();
      if (status) {
        subresources.add("status");
      }
      if (version.getSubresources() != null && version.getSubresources().getScale() != null) {
        subresources.add("scale");
      }
      ApiResource resource =
          new ApiResource(
              spec.getGroup(),
              version.getName(),
              names.getPlural(),
              names.getSingular() == null ? names.getKind().toLowerCase() : names.getSingular(),
              names.getKind(),
              "Namespaced".equals(spec.getScope()),
              ApiResource.ALL_VERBS,
              names.getShortNames() == null ? List.of() : names.getShortNames(),
              names.getCategories() == null ? List.of() : names.getCategories(),
              subresources);
      List<PrinterColumn> columns = new ArrayList<>();
      if (version.getAdditionalPrinterColumns() != null) {
        for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
          columns.add(
              new PrinterColumn(
                  column.getName(),
                  column.getType(),
                  column.getFormat() == null ? "" : column.getFormat(),
                  column.getDescription() == null ? "" : column.getDescription(),
                  column.getPriority() == null ? 0 : column.getPriority(),
                  column.getJsonPath()));
        }
      }
      JsonNode schema = JSON.valueToTree(version.getSchema().getOpenAPIV3Schema());
      types.add(new CustomResourceType(crd, resource, schema, columns, status, admission));
    }
    return types;
  }
}
