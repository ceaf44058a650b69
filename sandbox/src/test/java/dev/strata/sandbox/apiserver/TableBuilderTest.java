package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final TableBuilder tables = new TableBuilder(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void humanDurationsReadLikeKubectls() {
    assertThat(TableBuilder.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(TableBuilder.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(TableBuilder.humanDuration(Duration.ofSeconds(303))).isEqualTo("5m3s");
    assertThat(TableBuilder.humanDuration(Duration.ofMinutes(12))).isEqualTo("12m");
    assertThat(TableBuilder.humanDuration(Duration.ofMinutes(200))).isEqualTo("3h20m");
    assertThat(TableBuilder.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(TableBuilder.humanDuration(Duration.ofHours(76))).isEqualTo("3d4h");
    assertThat(TableBuilder.humanDuration(Duration.ofDays(20))).isEqualTo("20d");
    assertThat(TableBuilder.humanDuration(Duration.ofDays(760))).isEqualTo("2y30d");
    assertThat(TableBuilder.humanDuration(Duration.ofDays(3650))).isEqualTo("10y");
    assertThat(TableBuilder.humanDuration(Duration.ofMillis(-500))).isEqualTo("0s");
    assertThat(TableBuilder.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
  }

  @Test
  void customResourcesGetTheirPrinterColumns() throws Exception {
    CustomResourceType mpiJobs =
        SandboxApiServer.bundledCrds().stream()
            .flatMap(crd -> CustomResourceType.of(crd).stream())
            .filter(t -> t.resource().kind().equals("MPIJob"))
            .findFirst()
            .orElseThrow();
    JsonNode job =
        JSON.readTree(
            ("{'metadata':{'name':'pi','namespace':'default',"
                    + "'creationTimestamp':'2026-06-01T11:58:00Z'},"
                    + "'spec':{'mpiImplementation':'OpenMPI','mpiReplicaSpecs':{'Worker':{'replicas':2}}},"
                    + "'status':{'conditions':[{'type':'Created'},{'type':'Running'}]}}")
                .replace('\'', '"'));
    ObjectNode table = tables.table(mpiJobs.resource(), mpiJobs, List.of(job), "9", null);

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "State", "Implementation", "Workers", "Age");
    assertThat(table.path("columnDefinitions").get(2).path("priority").asInt()).isEqualTo(1);
    assertThat(table.path("rows").get(0).path("cells").toString())
        .isEqualTo("[\"pi\",\"Running\",\"OpenMPI\",2,\"2m\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
    assertThat(table.path("rows").get(0).path("object").path("metadata").path("namespace").asText())
        .isEqualTo("default");
  }

  @Test
  void aJobWithoutStatusHasAnEmptyStateCell() throws Exception {
    CustomResourceType tfJobs =
        SandboxApiServer.bundledCrds().stream()
            .flatMap(crd -> CustomResourceType.of(crd).stream())
            .filter(t -> t.resource().kind().equals("TFJob"))
            .findFirst()
            .orElseThrow();
    JsonNode job = JSON.readTree("{\"metadata\":{\"name\":\"tf\"}}");
    ObjectNode table = tables.table(tfJobs.resource(), tfJobs, List.of(job), "1", "None");
    assertThat(table.path("rows").get(0).path("cells").get(1).isNull()).isTrue();
    assertThat(table.path("rows").get(0).has("object")).isFalse();
  }

  @Test
  void podsShowReadinessStatusAndRestarts() throws Exception {
    ApiResource pods = ApiCatalog.of(List.of()).find("", "v1", "pods").orElseThrow();
    JsonNode pod =
        JSON.readTree(
            ("{'metadata':{'name':'p','creationTimestamp':"
                    + "'2026-06-01T11:59:30Z'},'spec':{'nodeName':'n1','containers':[{},{}]},"
                    + "'status':{'phase':'Running','podIP':'10.0.0.5','containerStatuses':["
                    + "{'ready':true,'restartCount':1,'state':{'running':{}}},"
                    + "{'ready':false,'restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}")
                .replace('\'', '"'));
    ObjectNode table = tables.table(pods, null, List.of(pod), "1", null);
    assertThat(table.path("rows").get(0).path("cells").toString())
        .isEqualTo("[\"p\",\"1/2\",\"CrashLoopBackOff\",\"3\",\"30s\",\"10.0.0.5\",\"n1\"]");
  }
}
