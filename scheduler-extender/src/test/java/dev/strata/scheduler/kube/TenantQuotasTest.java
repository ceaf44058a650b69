package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.TenantQuota;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantQuotasTest {

  @Test
  void readsNumbersAndMapsWithPerModelCaps() {
    String yaml = "team-a: 8\nteam-b:\n  gpus: 4\n  models: {V100: 2, P100: '1'}\n";

    assertThat(TenantQuotas.fromYaml(yaml).value())
        .containsExactly(
            new TenantQuota("team-a", 8),
            new TenantQuota("team-b", 4, Map.of("V100", 2, "P100", 1)));
  }

  @Test
  void readsAConfigMapWithOneKeyPerTenant() {
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("quotas")
            .endMetadata()
            .addToData("team-a", "8")
            .addToData("team-b", "gpus: 4\nmodels:\n  V100: 2\n")
            .build();

    assertThat(TenantQuotas.fromConfigMap(cm).value())
        .containsExactly(
            new TenantQuota("team-a", 8), new TenantQuota("team-b", 4, Map.of("V100", 2)));
  }

  @Test
  void emptyConfigIsNoQuotas() {
    assertThat(TenantQuotas.fromYaml("").value()).isEqualTo(List.of());
  }

  @Test
  void badEntriesAreRejectedNamingTheTenant() {
    assertThat(TenantQuotas.fromYaml("team-a: -1").reason())
        .isEqualTo(
            "quota of tenant team-a must be a whole number of GPUs of at least 0 or a map with"
                + " gpus and models");
    assertThat(TenantQuotas.fromYaml("team-a: 1.5").isOk()).isFalse();
    assertThat(TenantQuotas.fromYaml("team-a: {gpus: 2, gpu: 3}").reason())
        .isEqualTo("quota of tenant team-a has unknown field gpu (gpus, models)");
    assertThat(TenantQuotas.fromYaml("team-a: {gpus: 2, models: {V100: x}}").reason())
        .isEqualTo("quota of tenant team-a for model V100 must be a whole number of at least 0");
    assertThat(TenantQuotas.fromYaml("- a\n- b").reason())
        .isEqualTo("quota config must map tenant names to quotas");
    assertThat(TenantQuotas.fromYaml("a: [").reason()).startsWith("quota config is not valid YAML");
  }
}
