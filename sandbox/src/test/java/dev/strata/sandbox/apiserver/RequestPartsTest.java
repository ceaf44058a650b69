package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Paths, field selectors and protobuf bodies: the parts of a request the dispatcher reads. */
class RequestPartsTest {

  @Test
  void pathsNameTheirResource() {
    ApiPath pods = ApiPath.parse("/api/v1/namespaces/team-a/pods/p1/status?timeout=32s");
    assertThat(pods.group()).isEmpty();
    assertThat(pods.version()).isEqualTo("v1");
    assertThat(pods.namespace()).isEqualTo("team-a");
    assertThat(pods.plural()).isEqualTo("pods");
    assertThat(pods.name()).isEqualTo("p1");
    assertThat(pods.subresource()).isEqualTo("status");
    assertThat(pods.raw()).isEqualTo("/api/v1/namespaces/team-a/pods/p1/status");
    assertThat(pods.param("timeout")).isEqualTo("32s");

    ApiPath namespace = ApiPath.parse("/api/v1/namespaces/team-a");
    assertThat(namespace.plural()).isEqualTo("namespaces");
    assertThat(namespace.name()).isEqualTo("team-a");
    assertThat(namespace.namespace()).isNull();
    assertThat(ApiPath.parse("/api/v1/namespaces/team-a/status").subresource()).isEqualTo("status");

    ApiPath jobs =
        ApiPath.parse(
            "/apis/kubeflow.org/v2beta1/mpijobs?watch=true&labelSelector=a%3Db&resourceVersion=5");
    assertThat(jobs.group()).isEqualTo("kubeflow.org");
    assertThat(jobs.namespace()).isNull();
    assertThat(jobs.name()).isNull();
    assertThat(jobs.isWatch()).isTrue();
    assertThat(jobs.param("labelSelector")).isEqualTo("a=b");
    assertThat(ApiPath.parse("/healthz")).isNull();
  }

  @Test
  void fieldSelectorsMatchAnyField() throws Exception {
    JsonNode pod =
        new ObjectMapper()
            .readTree(
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"},"
                    + "\"status\":{\"phase\":\"Running\"}}");
    assertThat(FieldSelector.parse("spec.nodeName=n1").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName==n2").matches(pod)).isFalse();
    assertThat(FieldSelector.parse("spec.nodeName=n1,status.phase!=Running").matches(pod))
        .isFalse();
    assertThat(FieldSelector.parse("metadata.name=p,status.phase!=Failed").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=").matches(pod)).isFalse();
    assertThat(FieldSelector.parse(null).isEmpty()).isTrue();
  }

  @Test
  void readsTheProtobufNamespaceKubectlCreateSends() {
    // captured from `kubectl create namespace team-a` (kubectl v1.32)
    byte[] body =
        HexFormat.of()
            .parseHex(
                "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a00320038"
                    + "00420012001a020a001a002200");
    ObjectNode ns = ProtobufBodies.decode(body);
    assertThat(ns).isNotNull();
    assertThat(ns.toString())
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"},"
                + "\"spec\":{}}");
    assertThat(ProtobufBodies.decode("{}".getBytes())).isNull();
    assertThat(ProtobufBodies.decode(HexFormat.of().parseHex("6b387300ff"))).isNull();
  }
}
