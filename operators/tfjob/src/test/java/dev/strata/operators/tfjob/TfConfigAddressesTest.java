package dev.strata.operators.tfjob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.tfjob.TFJob;
import dev.strata.operators.common.KubernetesEventRecorder;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.common.SettableClock;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every address in every TF_CONFIG the controller writes must name a Service that exists in the
 * namespace the pods run in, by its bare name (no namespace, no cluster domain), on a port that
 * Service exposes, and that Service must select exactly the pod of that task.
 */
@EnableKubernetesMockClient(crud = true)
class TfConfigAddressesTest {
  KubernetesClient client;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static List<String> specs() throws Exception {
    List<String> specs = new ArrayList<>();
    for (Path path : UpstreamTFJobExamplesTest.examples()) {
      specs.add(Files.readString(path));
    }
    specs.add(TFJobControllerTest.job("", "", "Chief:1", "PS:2", "Worker:3", "Evaluator:1"));
    specs.add(TFJobControllerTest.job("", "enableDynamicWorker: true", "PS:2", "Worker:3"));
    specs.add(TFJobControllerTest.colocated(2, 3, "ExitCode"));
    return specs;
  }

  @TestFactory
  Stream<DynamicTest> everyAddressNamesAServiceInThePodsNamespace() throws Exception {
    List<String> specs = specs();
    List<DynamicTest> tests = new ArrayList<>();
    for (int n = 0; n < specs.size(); n++) {
      String namespace = "addr-" + n;
      String yaml = specs.get(n);
      tests.add(DynamicTest.dynamicTest(namespace, () -> check(namespace, yaml)));
    }
    return tests.stream();
  }

  private void check(String namespace, String yaml) throws Exception {
    TFJob job = MockCluster.SERIALIZATION.unmarshal(yaml, TFJob.class);
    job.getMetadata().setNamespace(namespace);
    TFJob created = client.resource(job).create();
    SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
    new TFJobController(
            new ObjectWriter(client),
            new KubernetesEventRecorder(client, "tfjob-controller", clock),
            clock,
            dev.strata.operators.common.JobPodPolicy.gangs())
        .reconcile(created, new ApiObserver(client).observe(created));

    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
    Map<String, Service> services =
        client.services().inNamespace(namespace).list().getItems().stream()
            .collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    int checked = 0;
    for (Pod pod : pods) {
      for (Container container : pod.getSpec().getContainers()) {
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
          if (!"TF_CONFIG".equals(env.getName())) {
            continue;
          }
          JsonNode config = MAPPER.readTree(env.getValue());
          JsonNode cluster =
              config.has("cluster") ? config.get("cluster") : config.get("sparseCluster");
          assertThat(cluster).as("cluster in " + env.getValue()).isNotNull();
          for (JsonNode addresses : cluster) {
            for (JsonNode address : addresses) {
              checkAddress(address.asText(), services, pods);
              checked++;
            }
          }
        }
      }
    }
    boolean distributed =
        pods.size() > 1 || pods.stream().anyMatch(p -> p.getSpec().getContainers().size() > 1);
    if (distributed) {
      assertThat(checked).isPositive();
    }
  }

  private static void checkAddress(String address, Map<String, Service> services, List<Pod> pods) {
    String host = address.substring(0, address.lastIndexOf(':'));
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    assertThat(host).as(address).doesNotContain(".");
    Service service = services.get(host);
    assertThat(service).as("Service for " + address).isNotNull();
    assertThat(service.getSpec().getPorts()).as(address).anyMatch(p -> p.getPort() == port);
    Map<String, String> selector = service.getSpec().getSelector();
    List<Pod> selected =
        pods.stream()
            .filter(p -> p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
            .toList();
    assertThat(selected).as("pods selected for " + address).hasSize(1);
    assertThat(selected.get(0).getMetadata().getName()).isEqualTo(host);
    assertThat(
            selected.get(0).getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                .anyMatch(p -> p.getContainerPort() == port))
        .as("a container of " + host + " listens on " + port)
        .isTrue();
  }
}
