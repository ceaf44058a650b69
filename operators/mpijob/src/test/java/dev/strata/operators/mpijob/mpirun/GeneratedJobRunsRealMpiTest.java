package dev.strata.operators.mpijob.mpirun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.operators.common.KubernetesEventRecorder;
import dev.strata.operators.common.ObjectWriter;
import dev.strata.operators.mpijob.ApiObserver;
import dev.strata.operators.mpijob.MPIJobController;
import dev.strata.operators.mpijob.ssh.SshKeyPairGenerator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that what the controller generates works with real software: the Secret, hostfile and
 * launcher environment of a reconciled 2-worker MPIJob drive real {@code mpirun} (Open MPI) over
 * real OpenSSH, one sshd per worker name, and every rank runs.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class GeneratedJobRunsRealMpiTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  KubernetesClient client;

  @BeforeEach
  void needsLocalMpiAndSsh() {
    Optional<String> reason = LocalTools.unavailableReason();
    assumeTrue(reason.isEmpty(), () -> "real mpirun over ssh skipped: " + reason.orElseThrow());
  }

  @Test
  void theGeneratedKeyHostfileAndEnvironmentRunMpirunOnEveryWorker(@TempDir Path dir)
      throws Exception {
    MPIJob job =
        YAML.unmarshal(
            """
            apiVersion: kubeflow.org/v2beta1
            kind: MPIJob
            metadata: {name: pi, namespace: default}
            spec:
              mpiReplicaSpecs:
                Launcher:
                  template: {spec: {containers: [{name: launcher, image: mpi}]}}
                Worker:
                  replicas: 2
                  template: {spec: {containers: [{name: worker, image: mpi}]}}
            """,
            MPIJob.class);
    client.resource(job).create();
    MPIJobController controller =
        new MPIJobController(
            new ObjectWriter(client),
            new KubernetesEventRecorder(client, "test", Clock.systemUTC()),
            Clock.systemUTC(),
            SshKeyPairGenerator::generate,
            dev.strata.operators.common.JobPodPolicy.gangs());
    MPIJob stored = client.resources(MPIJob.class).inNamespace("default").withName("pi").get();
    controller.reconcile(stored, new ApiObserver(client).observe(stored));

    Secret secret = client.secrets().inNamespace("default").withName("pi-ssh").get();
    Map<String, String> secretData = new LinkedHashMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                secretData.put(
                    k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    String hostfile =
        client
            .configMaps()
            .inNamespace("default")
            .withName("pi-config")
            .get()
            .getData()
            .get("hostfile");
    Map<String, String> env = new LinkedHashMap<>();
    List<EnvVar> launcherEnv =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("default")
            .withName("pi-launcher")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    launcherEnv.forEach(e -> env.put(e.getName(), e.getValue()));
    List<String> workers = hostfile.lines().map(line -> line.split(" ")[0]).toList();

    SshAuthMount auth = SshAuthMount.write(dir.resolve("ssh-auth"), secretData);
    LocalMpiRun.Result result;
    String logs;
    List<String> addresses;
    try (LocalSshHosts hosts =
        LocalSshHosts.start(auth.authorizedKeys(), workers, dir.resolve("hosts"))) {
      addresses = hosts.hosts().stream().map(LocalSshHosts.Host::address).toList();
      result =
          new LocalMpiRun(hosts, auth, dir.resolve("runs"))
              .run(
                  hostfile,
                  env,
                  "mpirun",
                  "-np",
                  "2",
                  "sh",
                  "-c",
                  "echo rank=$OMPI_COMM_WORLD_RANK host=$(hostname) via=$SSH_CONNECTION");
      logs = hosts.logs();
    }

    assertThat(workers).containsExactly("pi-worker-0.pi", "pi-worker-1.pi");
    assertThat(env).containsEntry("OMPI_MCA_orte_keep_fqdn_hostnames", "true");
    String context = result.output() + "\n" + logs;
    assertThat(result.exitCode()).as(context).isZero();
    List<String> ranks =
        result.output().lines().filter(l -> l.startsWith("rank=")).sorted().toList();
    assertThat(ranks).as(context).hasSize(2);
    assertThat(ranks.get(0)).startsWith("rank=0 host=").contains(" " + addresses.get(0) + " ");
    assertThat(ranks.get(1)).startsWith("rank=1 host=").contains(" " + addresses.get(1) + " ");
  }
}
