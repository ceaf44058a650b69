package dev.strata.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.scheduler.core.Tier;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GangKeysTest {

  static Pod pod(Map<String, String> labels, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("w-0")
        .withNamespace("team")
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  @Test
  void aPodWithoutGangKeysIsAGangOfOneOfItsNamespacesTenant() {
    GangKey key = GangKeys.of(pod(Map.of(), Map.of())).value();

    assertThat(key).isEqualTo(new GangKey("team", "w-0", true, 1, "team", Tier.HIGH));
    assertThat(key.gangName()).isEqualTo("team/pod/w-0");
  }

  @Test
  void strataGangLabelWinsOverPodGroupLabelAndVolcanoAnnotation() {
    Map<String, String> all = Map.of(KubeKeys.GANG_NAME_LABEL, "a", KubeKeys.POD_GROUP_LABEL, "b");
    Map<String, String> volcano = Map.of(KubeKeys.GROUP_NAME_ANNOTATION, "c");

    assertThat(GangKeys.of(pod(all, volcano)).value().group()).isEqualTo("a");
    assertThat(GangKeys.of(pod(Map.of(KubeKeys.POD_GROUP_LABEL, "b"), volcano)).value().group())
        .isEqualTo("b");
    GangKey byVolcano = GangKeys.of(pod(Map.of(), volcano)).value();
    assertThat(byVolcano.group()).isEqualTo("c");
    assertThat(byVolcano.alone()).isFalse();
    assertThat(byVolcano.minMember()).isZero();
    assertThat(byVolcano.gangName()).isEqualTo("team/c");
  }

  @Test
  void readsMinMemberTenantAndTier() {
    GangKey key =
        GangKeys.of(
                pod(
                    Map.of(
                        KubeKeys.GANG_NAME_LABEL,
                        "t.ns.job",
                        KubeKeys.TENANT_LABEL,
                        "acme",
                        KubeKeys.TIER_LABEL,
                        "LOW"),
                    Map.of(KubeKeys.GANG_MIN_MEMBER_ANNOTATION, "4")))
            .value();

    assertThat(key).isEqualTo(new GangKey("team", "t.ns.job", false, 4, "acme", Tier.LOW));
    assertThat(key.sameGang(new GangKey("team", "t.ns.job", false, 2, "x", Tier.HIGH))).isTrue();
    assertThat(key.sameGang(new GangKey("other", "t.ns.job", false, 4, "acme", Tier.LOW)))
        .isFalse();
  }

  @Test
  void badMinMemberOrTierIsRejected() {
    assertThat(
            GangKeys.of(
                    pod(
                        Map.of(KubeKeys.GANG_NAME_LABEL, "g"),
                        Map.of(KubeKeys.GANG_MIN_MEMBER_ANNOTATION, "zero")))
                .reason())
        .isEqualTo(
            "pod w-0 has annotation strata.dev/gang-min-member='zero'; it must be a positive whole"
                + " number");
    assertThat(
            GangKeys.of(
                    pod(
                        Map.of(KubeKeys.GANG_NAME_LABEL, "g"),
                        Map.of(KubeKeys.GANG_MIN_MEMBER_ANNOTATION, "0")))
                .isOk())
        .isFalse();
    assertThat(GangKeys.of(pod(Map.of(KubeKeys.TIER_LABEL, "urgent"), Map.of())).reason())
        .isEqualTo("pod w-0 has label strata.dev/tier='urgent'; it must be high or low");
  }
}
