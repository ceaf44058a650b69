package dev.strata.scheduler.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.scheduler.core.TenantQuota;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads tenants' HIGH-tier GPU quotas. One tenant's entry is either a number of GPUs or a map with
 * {@code gpus} and optional per-model caps {@code models}:
 *
 * <pre>
 * team-a: 8
 * team-b:
 *   gpus: 4
 *   models: {V100: 2}
 * </pre>
 *
 * {@link #fromYaml} reads such a document; {@link #fromConfigMap} reads a ConfigMap whose data keys
 * are tenants and whose values are their entries ({@code team-a: "8"}, {@code team-b: "gpus: 4\n
 * models: {V100: 2}"}). Anything else (a negative or fractional count, an unknown field) is {@link
 * Translation.Rejected} naming the tenant; quotas are never half read.
 */
public final class TenantQuotas {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TenantQuotas() {}

  public static Translation<List<TenantQuota>> fromYaml(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml == null ? "" : yaml);
    } catch (Exception e) {
      return Translation.rejected("quota config is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return Translation.ok(List.of());
    }
    if (!root.isObject()) {
      return Translation.rejected("quota config must map tenant names to quotas");
    }
    Map<String, JsonNode> entries = new TreeMap<>();
    root.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
    return read(entries);
  }

  public static Translation<List<TenantQuota>> fromConfigMap(ConfigMap configMap) {
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    Map<String, JsonNode> entries = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(data).entrySet()) {
      try {
        entries.put(e.getKey(), YAML.readTree(e.getValue()));
      } catch (Exception ex) {
        return Translation.rejected(
            "quota of tenant " + e.getKey() + " is not valid YAML: " + firstLine(ex.getMessage()));
      }
    }
    return read(entries);
  }

  private static Translation<List<TenantQuota>> read(Map<String, JsonNode> entries) {
    List<TenantQuota> quotas = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      String tenant = e.getKey();
      JsonNode entry = e.getValue();
      if (entry != null && entry.isObject()) {
        Iterator<String> fields = entry.fieldNames();
        while (fields.hasNext()) {
          String field = fields.next();
          if (!field.equals("gpus") && !field.equals("models")) {
            return Translation.rejected(
                "quota of tenant " + tenant + " has unknown field " + field + " (gpus, models)");
          }
        }
        Integer gpus = count(entry.get("gpus"));
        if (gpus == null) {
          return Translation.rejected(
              "quota of tenant " + tenant + " needs gpus: a whole number of at least 0");
        }
        Map<String, Integer> models = new TreeMap<>();
        JsonNode modelNode = entry.get("models");
        if (modelNode != null && !modelNode.isNull()) {
          if (!modelNode.isObject()) {
            return Translation.rejected(
                "quota of tenant " + tenant + ": models must map GPU models to GPU counts");
          }
          Iterator<Map.Entry<String, JsonNode>> it = modelNode.fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            Integer cap = count(m.getValue());
            if (cap == null) {
              return Translation.rejected(
                  "quota of tenant "
                      + tenant
                      + " for model "
                      + m.getKey()
                      + " must be a whole number of at least 0");
            }
            models.put(m.getKey(), cap);
          }
        }
        quotas.add(new TenantQuota(tenant, gpus, models));
      } else {
        Integer gpus = count(entry);
        if (gpus == null) {
          return Translation.rejected(
              "quota of tenant "
                  + tenant
                  + " must be a whole number of GPUs of at least 0 or a map with gpus and models");
        }
        quotas.add(new TenantQuota(tenant, gpus));
      }
    }
    return Translation.ok(List.copyOf(quotas));
  }

  /** A non-negative whole number, also when written as a string; null for anything else. */
  private static Integer count(JsonNode node) {
    if (node == null) {
      return null;
    }
    String text =
        node.isTextual() ? node.asText().trim() : node.isIntegralNumber() ? node.asText() : null;
    if (text == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(text);
      return n < 0 ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
