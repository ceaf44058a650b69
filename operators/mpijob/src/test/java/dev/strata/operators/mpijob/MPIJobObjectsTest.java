package dev.strata.operators.mpijob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.common.SchedulingPolicy;
import dev.strata.api.mpijob.MPIJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one reconcile of a new MPIJob creates, field by field, against upstream v2beta1. */
@EnableKubernetesMockClient(crud = true)
class MPIJobObjectsTest {
  static final String NS = MockCluster.NAMESPACE;
  static final String OPERATOR = "training.kubeflow.org/operator-name";
  static final String JOB_NAME = "training.kubeflow.org/job-name";
  static final String JOB_ROLE = "training.kubeflow.org/job-role";
  static final String INDEX = "training.kubeflow.org/replica-index";

  KubernetesClient client;
  MockCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  private MPIJob createAndReconcile(MPIJob job) {
    MPIJob created = cluster.create(job);
    cluster.reconcile(created.getMetadata().getName());
    return cluster.job(created.getMetadata().getName());
  }

  private ConfigMap config(String job) {
    return client.configMaps().inNamespace(NS).withName(job + "-config").get();
  }

  private Role role(String job) {
    return client.rbac().roles().inNamespace(NS).withName(job + "-launcher").get();
  }

  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnv() != null) {
      container.getEnv().forEach(e -> env.put(e.getName(), Objects.toString(e.getValue(), "")));
    }
    return env;
  }

  static void assertControlledBy(HasMetadata object, MPIJob job) {
    assertThat(object.getMetadata().getOwnerReferences()).hasSize(1);
    OwnerReference ref = object.getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getApiVersion()).isEqualTo("kubeflow.org/v2beta1");
    assertThat(ref.getKind()).isEqualTo("MPIJob");
    assertThat(ref.getName()).isEqualTo(job.getMetadata().getName());
    assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid()).isNotNull();
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void everyObjectIsControlledByTheJob() {
    MPIJob job = createAndReconcile(TestJobs.basic("pi", 2));

    assertControlledBy(client.services().inNamespace(NS).withName("pi").get(), job);
    assertControlledBy(config("pi"), job);
    assertControlledBy(client.secrets().inNamespace(NS).withName("pi-ssh").get(), job);
    assertControlledBy(client.serviceAccounts().inNamespace(NS).withName("pi-launcher").get(), job);
    assertControlledBy(role("pi"), job);
    assertControlledBy(
        client.rbac().roleBindings().inNamespace(NS).withName("pi-launcher").get(), job);
    assertControlledBy(cluster.launcher("pi"), job);
    assertThat(cluster.pods()).hasSize(2).allSatisfy(p -> assertControlledBy(p, job));
  }

  @Test
  void serviceIsHeadlessAndSelectsEveryPodOfTheJob() {
    createAndReconcile(TestJobs.basic("pi", 2));

    Service service = client.services().inNamespace(NS).withName("pi").get();
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of(OPERATOR, "mpi-operator", JOB_NAME, "pi"));
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(service.getMetadata().getLabels()).containsEntry(JOB_NAME, "pi");
  }

  @ParameterizedTest
  @CsvSource({
    "OpenMPI, 1, 'pi-worker-0.pi slots=1\npi-worker-1.pi slots=1\n'",
    "OpenMPI, 4, 'pi-worker-0.pi slots=4\npi-worker-1.pi slots=4\n'",
    "Intel, 1, 'pi-worker-0.pi:1\npi-worker-1.pi:1\n'",
    "MPICH, 3, 'pi-worker-0.pi:3\npi-worker-1.pi:3\n'"
  })
  void hostfileIsInTheImplementationsSyntax(String implementation, int slots, String hostfile) {
    MPIJob job = TestJobs.basic("pi", 2);
    job.getSpec().setMpiImplementation(implementation);
    job.getSpec().setSlotsPerWorker(slots);

    createAndReconcile(job);

    assertThat(config("pi").getData())
        .containsOnlyKeys("hostfile", "discover_hosts.sh")
        .containsEntry("hostfile", hostfile)
        .containsEntry("discover_hosts.sh", "#!/bin/sh\n");
  }

  @Test
  void discoverHostsListsExactlyTheRunningWorkers() {
    createAndReconcile(TestJobs.basic("pi", 3));

    cluster.setPhase("pi-worker-2", "Running");
    cluster.setPhase("pi-worker-0", "Pending");
    cluster.reconcile("pi");
    assertThat(config("pi").getData().get("discover_hosts.sh"))
        .isEqualTo("#!/bin/sh\necho pi-worker-2.pi\n");

    cluster.setPhase("pi-worker-0", "Running");
    cluster.reconcile("pi");
    assertThat(config("pi").getData().get("discover_hosts.sh"))
        .isEqualTo("#!/bin/sh\necho pi-worker-0.pi\necho pi-worker-2.pi\n");
    assertThat(config("pi").getData().get("hostfile"))
        .isEqualTo("pi-worker-0.pi slots=1\npi-worker-1.pi slots=1\npi-worker-2.pi slots=1\n");
  }

  @Test
  void discoverHostsOrdersWorkersByIndexNumerically() {
    createAndReconcile(TestJobs.basic("pi", 11));
    cluster.setPhase("pi-worker-10", "Running");
    cluster.setPhase("pi-worker-9", "Running");

    cluster.reconcile("pi");

    assertThat(config("pi").getData().get("discover_hosts.sh"))
        .isEqualTo("#!/bin/sh\necho pi-worker-9.pi\necho pi-worker-10.pi\n");
  }

  @Test
  void runLauncherAsWorkerPutsTheLauncherFirstAndShiftsWorkerIndices() {
    MPIJob job = TestJobs.basic("pi", 2);
    job.getSpec().setRunLauncherAsWorker(true);
    job.getSpec().setMpiImplementation("Intel");

    createAndReconcile(job);

    assertThat(config("pi").getData())
        .containsEntry("hostfile", "pi-launcher.pi:1\npi-worker-0.pi:1\npi-worker-1.pi:1\n")
        .containsEntry("discover_hosts.sh", "#!/bin/sh\necho pi-launcher.pi\n");
    assertThat(cluster.pod("pi-worker-0").getMetadata().getLabels()).containsEntry(INDEX, "1");
    assertThat(cluster.pod("pi-worker-1").getMetadata().getLabels()).containsEntry(INDEX, "2");
    Job launcher = cluster.launcher("pi");
    assertThat(launcher.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(INDEX, "0");
    Container main = launcher.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(main))
        .doesNotContainKeys("NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");
  }

  @Test
  void workersWithoutRunLauncherAsWorkerAreIndexedFromZero() {
    createAndReconcile(TestJobs.basic("pi", 2));

    assertThat(cluster.pod("pi-worker-0").getMetadata().getLabels()).containsEntry(INDEX, "0");
    assertThat(cluster.pod("pi-worker-1").getMetadata().getLabels()).containsEntry(INDEX, "1");
    assertThat(cluster.launcher("pi").getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey(INDEX);
  }

  @Test
  void sshSecretHoldsAPemKeyAndItsAuthorizedKeyAndIsNeverRegenerated() {
    createAndReconcile(TestJobs.basic("pi", 1));
    Secret ssh = client.secrets().inNamespace(NS).withName("pi-ssh").get();

    assertThat(ssh.getType()).isEqualTo("kubernetes.io/ssh-auth");
    assertThat(ssh.getData()).containsOnlyKeys("ssh-privatekey", "ssh-publickey");
    String privateKey = decode(ssh.getData().get("ssh-privatekey"));
    assertThat(privateKey)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(decode(ssh.getData().get("ssh-publickey")))
        .matches("ecdsa-sha2-nistp521 [A-Za-z0-9+/]+=*\n");

    cluster.setPhase("pi-worker-0", "Running");
    cluster.reconcile("pi");
    cluster.reconcile("pi");

    Secret after = client.secrets().inNamespace(NS).withName("pi-ssh").get();
    assertThat(after.getData()).isEqualTo(ssh.getData());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(ssh.getMetadata().getResourceVersion());
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  @Test
  void workerPodsGetTheirNamesLabelsEnvAndSshKeys() {
    MPIJob job = TestJobs.basic("pi", 2);
    TestJobs.worker(job)
        .getTemplate()
        .setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    TestJobs.worker(job).getTemplate().getMetadata().setLabels(Map.of("team", "a"));
    TestJobs.workerContainer(job).setEnv(List.of(new EnvVar("USER_VAR", "x", null)));

    createAndReconcile(job);

    Pod pod = cluster.pod("pi-worker-1");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("team", "a")
        .containsEntry(OPERATOR, "mpi-operator")
        .containsEntry(JOB_NAME, "pi")
        .containsEntry(JOB_ROLE, "worker")
        .containsEntry(INDEX, "1");
    PodSpec spec = pod.getSpec();
    assertThat(spec.getHostname()).isEqualTo("pi-worker-1");
    assertThat(spec.getSubdomain()).isEqualTo("pi");
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getDnsConfig().getSearches())
        .containsExactly("pi." + NS + ".svc.cluster.local");
    Container main = spec.getContainers().get(0);
    assertThat(main.getCommand()).containsExactly("/usr/sbin/sshd", "-De");
    assertThat(main.getArgs()).isNullOrEmpty();
    assertThat(main.getEnv())
        .extracting(EnvVar::getName, e -> Objects.toString(e.getValue(), ""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("USER_VAR", "x"),
            org.assertj.core.groups.Tuple.tuple("K_MPI_JOB_ROLE", "worker"));
    assertThat(main.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("ssh-auth:/root/.ssh");
    assertSshVolume(spec, 0600);
  }

  static void assertSshVolume(PodSpec spec, Integer defaultMode) {
    Volume ssh =
        spec.getVolumes().stream().filter(v -> "ssh-auth".equals(v.getName())).findFirst().get();
    assertThat(ssh.getSecret().getSecretName()).isEqualTo("pi-ssh");
    assertThat(ssh.getSecret().getDefaultMode()).isEqualTo(defaultMode);
    assertThat(ssh.getSecret().getItems())
        .extracting(KeyToPath::getKey, KeyToPath::getPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ssh-privatekey", "id_rsa"),
            org.assertj.core.groups.Tuple.tuple("ssh-publickey", "id_rsa.pub"),
            org.assertj.core.groups.Tuple.tuple("ssh-publickey", "authorized_keys"));
  }

  @Test
  void sshKeysOutsideRootKeepTheDefaultModeAndTheWorkersOwnCommand() {
    MPIJob job = TestJobs.basic("pi", 1);
    job.getSpec().setSshAuthMountPath("/home/mpiuser/.ssh");
    TestJobs.workerContainer(job).setArgs(List.of("-f", "/home/mpiuser/.sshd_config"));
    TestJobs.worker(job).setRestartPolicy("OnFailure");

    createAndReconcile(job);

    PodSpec spec = cluster.pod("pi-worker-0").getSpec();
    assertSshVolume(spec, null);
    Container main = spec.getContainers().get(0);
    assertThat(main.getCommand()).isNullOrEmpty();
    assertThat(main.getArgs()).containsExactly("-f", "/home/mpiuser/.sshd_config");
    assertThat(main.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("ssh-auth:/home/mpiuser/.ssh");
    assertThat(spec.getRestartPolicy()).isEqualTo("OnFailure");
    assertSshVolume(cluster.launcher("pi").getSpec().getTemplate().getSpec(), null);
  }

  @Test
  void aWorkerCommandIsKeptAsWritten() {
    MPIJob job = TestJobs.basic("pi", 1);
    TestJobs.workerContainer(job).setCommand(List.of("/bin/sleep"));

    createAndReconcile(job);

    Container main = cluster.pod("pi-worker-0").getSpec().getContainers().get(0);
    assertThat(main.getCommand()).containsExactly("/bin/sleep");
  }

  @ParameterizedTest
  @CsvSource({
    "OpenMPI, 'K_MPI_JOB_ROLE=launcher;OMPI_MCA_orte_keep_fqdn_hostnames=true;"
        + "OMPI_MCA_orte_default_hostfile=/etc/mpi/hostfile;"
        + "OMPI_MCA_plm_rsh_args=-o ConnectionAttempts=10;OMPI_MCA_orte_set_default_slots=2;"
        + "NVIDIA_VISIBLE_DEVICES=;NVIDIA_DRIVER_CAPABILITIES='",
    "Intel, 'K_MPI_JOB_ROLE=launcher;I_MPI_HYDRA_HOST_FILE=/etc/mpi/hostfile;"
        + "I_MPI_HYDRA_BOOTSTRAP_EXEC_EXTRA_ARGS=-o ConnectionAttempts=10;I_MPI_PERHOST=2;"
        + "NVIDIA_VISIBLE_DEVICES=;NVIDIA_DRIVER_CAPABILITIES='",
    "MPICH, 'K_MPI_JOB_ROLE=launcher;HYDRA_HOST_FILE=/etc/mpi/hostfile;"
        + "HYDRA_LAUNCH_EXTRA_ARGS=-o ConnectionAttempts=10;"
        + "NVIDIA_VISIBLE_DEVICES=;NVIDIA_DRIVER_CAPABILITIES='"
  })
  void launcherEnvironmentIsTheImplementations(String implementation, String expected) {
    MPIJob job = TestJobs.basic("pi", 2);
    job.getSpec().setMpiImplementation(implementation);
    job.getSpec().setSlotsPerWorker(2);

    createAndReconcile(job);

    Container main =
        cluster.launcher("pi").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(main.getEnv())
        .extracting(e -> e.getName() + "=" + Objects.toString(e.getValue(), ""))
        .containsExactly(expected.split(";"));
  }

  @Test
  void launcherJobMountsTheConfigAndCarriesTheRunPolicy() {
    MPIJob job = TestJobs.basic("pi", 2);
    TestJobs.runPolicy(job).setBackoffLimit(3);
    TestJobs.runPolicy(job).setActiveDeadlineSeconds(600L);
    TestJobs.runPolicy(job).setTtlSecondsAfterFinished(120);

    createAndReconcile(job);

    Job launcher = cluster.launcher("pi");
    assertThat(launcher.getSpec().getBackoffLimit()).isEqualTo(3);
    assertThat(launcher.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    // Not copied: the controller deletes the MPIJob (and so the Job) at the TTL itself.
    assertThat(launcher.getSpec().getTtlSecondsAfterFinished()).isNull();
    assertThat(launcher.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
    assertThat(launcher.getSpec().getSuspend()).isNotEqualTo(Boolean.TRUE);
    PodSpec spec = launcher.getSpec().getTemplate().getSpec();
    assertThat(spec.getServiceAccountName()).isEqualTo("pi-launcher");
    assertThat(spec.getHostname()).isEqualTo("pi-launcher");
    assertThat(spec.getSubdomain()).isEqualTo("pi");
    assertThat(spec.getRestartPolicy()).isEqualTo("OnFailure");
    assertThat(launcher.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(OPERATOR, "mpi-operator")
        .containsEntry(JOB_NAME, "pi")
        .containsEntry(JOB_ROLE, "launcher");
    Volume config =
        spec.getVolumes().stream()
            .filter(v -> "mpi-job-config".equals(v.getName()))
            .findFirst()
            .get();
    assertThat(config.getConfigMap().getName()).isEqualTo("pi-config");
    assertThat(config.getConfigMap().getItems())
        .extracting(KeyToPath::getKey, KeyToPath::getPath, KeyToPath::getMode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hostfile", "hostfile", 0444),
            org.assertj.core.groups.Tuple.tuple("discover_hosts.sh", "discover_hosts.sh", 0555));
    Container main = spec.getContainers().get(0);
    assertThat(main.getCommand()).containsExactly("mpirun", "-n", "2", "/pi");
    assertThat(main.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactlyInAnyOrder("ssh-auth:/root/.ssh", "mpi-job-config:/etc/mpi");
    assertSshVolume(spec, 0600);
  }

  @Test
  void launcherJobLeavesUnsetRunPolicyFieldsUnset() {
    createAndReconcile(TestJobs.basic("pi", 1));

    Job launcher = cluster.launcher("pi");
    assertThat(launcher.getSpec().getBackoffLimit()).isNull();
    assertThat(launcher.getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(launcher.getSpec().getTtlSecondsAfterFinished()).isNull();
  }

  @Test
  void aLauncherTemplatesOwnServiceAccountIsKept() {
    MPIJob job = TestJobs.basic("pi", 1);
    TestJobs.launcher(job).getTemplate().getSpec().setServiceAccountName("trainer");

    createAndReconcile(job);

    assertThat(cluster.launcher("pi").getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("trainer");
  }

  @Test
  void launcherRoleReadsOnlyTheJobsWorkerPodsAndFollowsScaling() {
    createAndReconcile(TestJobs.basic("pi", 2));

    assertThat(role("pi").getRules()).hasSize(1);
    PolicyRule rule = role("pi").getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("");
    assertThat(rule.getResources()).containsExactly("pods");
    assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
    assertThat(rule.getResourceNames()).containsExactly("pi-worker-0", "pi-worker-1");

    cluster.edit("pi", j -> TestJobs.worker(j).setReplicas(3));
    cluster.reconcile("pi");

    assertThat(role("pi").getRules().get(0).getResourceNames())
        .containsExactly("pi-worker-0", "pi-worker-1", "pi-worker-2");
    assertThat(config("pi").getData().get("hostfile"))
        .isEqualTo("pi-worker-0.pi slots=1\npi-worker-1.pi slots=1\npi-worker-2.pi slots=1\n");
    assertThat(cluster.pods()).hasSize(3);
  }

  @Test
  void roleBindingGivesTheRoleToTheLauncherServiceAccount() {
    createAndReconcile(TestJobs.basic("pi", 2));

    RoleBinding binding =
        client.rbac().roleBindings().inNamespace(NS).withName("pi-launcher").get();
    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo("pi-launcher");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("pi-launcher");
              assertThat(s.getNamespace()).isEqualTo(NS);
            });
  }

  @Test
  void gangMetadataDefaultsToWorkersPlusLauncher() {
    createAndReconcile(TestJobs.basic("pi", 3));

    Pod worker = cluster.pod("pi-worker-0");
    assertThat(worker.getMetadata().getLabels())
        .containsEntry("strata.dev/gang-name", "pi")
        .containsEntry("scheduling.x-k8s.io/pod-group", "pi");
    assertThat(worker.getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "4")
        .containsEntry("scheduling.k8s.io/group-name", "pi")
        .doesNotContainKey("strata.dev/gang-queue");
    var template = cluster.launcher("pi").getSpec().getTemplate().getMetadata();
    assertThat(template.getLabels()).containsEntry("strata.dev/gang-name", "pi");
    assertThat(template.getAnnotations()).containsEntry("strata.dev/gang-min-member", "4");
    assertThat(worker.getSpec().getPriorityClassName()).isNull();
  }

  @Test
  void aLauncherThatWaitsForReadyWorkersIsNotPartOfTheGang() {
    MPIJob job = TestJobs.basic("pi", 3);
    job.getSpec().setLauncherCreationPolicy("WaitForWorkersReady");
    createAndReconcile(job);

    // A gang scheduler waiting for the launcher before placing workers would wait forever.
    assertThat(cluster.pod("pi-worker-0").getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "3");
  }

  @Test
  void schedulingPolicySetsMinMemberQueueAndPriorityClass() {
    MPIJob job = TestJobs.basic("pi", 3);
    SchedulingPolicy scheduling = new SchedulingPolicy();
    scheduling.setMinAvailable(2);
    scheduling.setQueue("research");
    scheduling.setPriorityClass("high");
    TestJobs.runPolicy(job).setSchedulingPolicy(scheduling);
    TestJobs.launcher(job).getTemplate().getSpec().setPriorityClassName("launcher-own");
    TestJobs.worker(job)
        .getTemplate()
        .setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    TestJobs.worker(job).getTemplate().getMetadata().setAnnotations(Map.of("note", "kept"));

    createAndReconcile(job);

    Pod worker = cluster.pod("pi-worker-2");
    assertThat(worker.getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "2")
        .containsEntry("strata.dev/gang-queue", "research")
        .containsEntry("note", "kept");
    assertThat(worker.getSpec().getPriorityClassName()).isEqualTo("high");
    var launcher = cluster.launcher("pi").getSpec().getTemplate();
    assertThat(launcher.getMetadata().getAnnotations())
        .containsEntry("strata.dev/gang-min-member", "2")
        .containsEntry("strata.dev/gang-queue", "research");
    assertThat(launcher.getSpec().getPriorityClassName()).isEqualTo("launcher-own");
  }
}
