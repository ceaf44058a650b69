package dev.strata.operators.mpijob.model;

import dev.strata.api.mpijob.MPIJob;
import dev.strata.api.mpijob.MPIJobDefaults;
import dev.strata.api.mpijob.MPIJobNames;
import dev.strata.api.mpijob.MPIJobSpec;
import dev.strata.api.mpijob.MPIReplicaSpec;
import dev.strata.api.mpijob.MPIReplicaType;
import dev.strata.operators.common.GangMetadata;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.PodTemplates;
import dev.strata.operators.mpijob.ssh.SshKeyPair;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Everything an MPIJob becomes, as objects to create: pure (spec in, objects out, no API calls).
 * Object names and contents follow kubeflow/mpi-operator v2beta1; where Strata differs it says why.
 */
public final class MPIJobModel {
  public static final String OPERATOR_NAME = "mpi-operator";
  public static final String ROLE_ENV = "K_MPI_JOB_ROLE";
  public static final String ROLE_LAUNCHER = "launcher";
  public static final String ROLE_WORKER = "worker";
  static final String SSH_VOLUME = "ssh-auth";
  static final String CONFIG_VOLUME = "mpi-job-config";
  static final String HOSTFILE_KEY = "hostfile";
  static final String DISCOVER_HOSTS_KEY = "discover_hosts.sh";
  static final String DEFAULT_WORKER_COMMAND = "/usr/sbin/sshd";
  private static final String ROOT_SSH_PATH = "/root/.ssh";

  private final MPIJob job;
  private final MPIJobSpec spec;
  private final String name;
  private final String namespace;
  private final GangMetadata gang;
  private final JobPodPolicy podPolicy;

  private MPIJobModel(MPIJob job, JobPodPolicy podPolicy) {
    this.job = MPIJobDefaults.withDefaults(job);
    this.spec = this.job.getSpec();
    this.name = job.getMetadata().getName();
    this.namespace = job.getMetadata().getNamespace();
    this.podPolicy = podPolicy;
    this.gang = gangMetadata(podPolicy.gangByDefault());
  }

  /** With what the operator adds to every pod (gang metadata, tolerations). */
  public static MPIJobModel fromCrd(MPIJob job, JobPodPolicy podPolicy) {
    return new MPIJobModel(job, podPolicy);
  }

  public MPIJob defaultedJob() {
    return job;
  }

  public int workerReplicas() {
    MPIReplicaSpec worker = workerSpec();
    return worker == null || worker.getReplicas() == null ? 0 : worker.getReplicas();
  }

  public boolean launcherIsWorker() {
    return Boolean.TRUE.equals(spec.getRunLauncherAsWorker());
  }

  public boolean waitsForWorkersReady() {
    return "WaitForWorkersReady".equals(spec.getLauncherCreationPolicy());
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(spec.getRunPolicy().getSuspend());
  }

  /** The gang metadata pods carry, or null when the job is not gang-scheduled. */
  public GangMetadata gang() {
    return gang;
  }

  /**
   * The name a peer resolves this pod by: {@code <pod>.<service>}, relative to the pod's namespace.
   * Upstream writes {@code <pod>.<service>.<namespace>.svc}, which breaks once the virtual node
   * runs the pod in a differently named namespace of the compute cluster (design guide, decision
   * 3); the short name resolves through the pod's own namespace search path wherever it runs.
   */
  public String hostOf(String podName) {
    return podName + "." + MPIJobNames.service(name);
  }

  // ---- Service -------------------------------------------------------------------------------

  public Service service() {
    return new ServiceBuilder()
        .withMetadata(ownedMeta(MPIJobNames.service(name)))
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(selectorLabels())
        // Publish pods before they are Ready, so their names resolve as soon as they have an IP:
        // the launcher's ssh retries cover sshd still starting, and start-up does not wait for
        // readiness probes. Upstream does this only with runLauncherAsWorker.
        .withPublishNotReadyAddresses(true)
        .endSpec()
        .build();
  }

  // ---- ConfigMap -----------------------------------------------------------------------------

  /**
   * @param runningWorkerPods the names of worker pods in phase Running, for discover_hosts.sh
   */
  public ConfigMap configMap(List<String> runningWorkerPods) {
    List<String> hosts = new ArrayList<>();
    List<String> running = new ArrayList<>();
    if (launcherIsWorker()) {
      hosts.add(hostOf(MPIJobNames.launcher(name)));
      running.add(hostOf(MPIJobNames.launcher(name)));
    }
    IntStream.range(0, workerReplicas())
        .forEach(i -> hosts.add(hostOf(MPIJobNames.worker(name, i))));
    runningWorkerPods.stream()
        .sorted(MPIJobModel::byWorkerIndex)
        .map(this::hostOf)
        .forEach(running::add);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(HOSTFILE_KEY, Hostfile.render(spec.getMpiImplementation(), hosts, slots()));
    data.put(DISCOVER_HOSTS_KEY, Hostfile.discoverHostsScript(running));
    return new ConfigMapBuilder()
        .withMetadata(ownedMeta(MPIJobNames.configMap(name)))
        .withData(data)
        .build();
  }

  /** Numeric order of worker index, so worker-10 follows worker-9 (upstream sorts as text). */
  private static int byWorkerIndex(String a, String b) {
    return Integer.compare(indexOf(a), indexOf(b));
  }

  private static int indexOf(String podName) {
    try {
      return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  // ---- SSH Secret ----------------------------------------------------------------------------

  public Secret sshSecret(SshKeyPair keys) {
    Base64.Encoder base64 = Base64.getEncoder();
    return new SecretBuilder()
        .withMetadata(ownedMeta(MPIJobNames.sshSecret(name)))
        .withType("kubernetes.io/ssh-auth")
        .addToData(
            "ssh-privatekey",
            base64.encodeToString(keys.privateKeyPem().getBytes(StandardCharsets.UTF_8)))
        .addToData(
            "ssh-publickey",
            base64.encodeToString((keys.authorizedKey() + "\n").getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  // ---- launcher RBAC -------------------------------------------------------------------------

  public ServiceAccount launcherServiceAccount() {
    return new ServiceAccountBuilder().withMetadata(ownedMeta(MPIJobNames.launcher(name))).build();
  }

  /**
   * Read access to this job's worker pods and nothing else. RBAC cannot filter by label, so the
   * rule names the pods; a list or watch must then select one of them by name. A job without
   * workers gets no rule at all: RBAC reads an empty resourceNames as every pod in the namespace.
   */
  public Role launcherRole() {
    List<String> workers =
        IntStream.range(0, workerReplicas()).mapToObj(i -> MPIJobNames.worker(name, i)).toList();
    RoleBuilder role = new RoleBuilder().withMetadata(ownedMeta(MPIJobNames.launcher(name)));
    if (!workers.isEmpty()) {
      role.withRules(
          new PolicyRuleBuilder()
              .withApiGroups("")
              .withResources("pods")
              .withResourceNames(workers)
              .withVerbs("get", "list", "watch")
              .build());
    }
    return role.build();
  }

  public RoleBinding launcherRoleBinding() {
    return new RoleBindingBuilder()
        .withMetadata(ownedMeta(MPIJobNames.launcher(name)))
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", MPIJobNames.launcher(name))
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(MPIJobNames.launcher(name))
        .withNamespace(namespace)
        .endSubject()
        .build();
  }

  // ---- workers -------------------------------------------------------------------------------

  public Pod worker(int index) {
    MPIReplicaSpec replica = workerSpec();
    PodTemplateSpec template = PodTemplates.copyOf(replica.getTemplate());
    String podName = MPIJobNames.worker(name, index);
    Map<String, String> labels = podLabels(template, ROLE_WORKER);
    labels.put(JobLabels.REPLICA_INDEX, Integer.toString(launcherIsWorker() ? index + 1 : index));
    PodSpec pod = template.getSpec();
    pod.setHostname(podName);
    pod.setSubdomain(MPIJobNames.service(name));
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      pod.setDnsPolicy("ClusterFirstWithHostNet");
    }
    // Intel MPI and MPICH resolve the launcher by its bare hostname; this search path makes that
    // work. The virtual node rewrites the namespace in it when the pod crosses clusters.
    PodDNSConfig dns = pod.getDnsConfig() == null ? new PodDNSConfig() : pod.getDnsConfig();
    List<String> searches =
        dns.getSearches() == null ? new ArrayList<>() : new ArrayList<>(dns.getSearches());
    searches.add(MPIJobNames.service(name) + "." + namespace + ".svc.cluster.local");
    dns.setSearches(searches);
    pod.setDnsConfig(dns);
    pod.setRestartPolicy(replica.getRestartPolicy());
    PodTemplates.inheritPriorityClass(spec.getRunPolicy().getSchedulingPolicy(), pod);
    podPolicy.addTolerations(pod);
    Container main = pod.getContainers().get(0);
    if (isEmpty(main.getCommand()) && isEmpty(main.getArgs())) {
      main.setCommand(List.of(DEFAULT_WORKER_COMMAND, "-De"));
    }
    addEnv(main, List.of(new EnvVar(ROLE_ENV, ROLE_WORKER, null)));
    addSshVolume(pod, main);
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withMetadata(podMeta(podName, template, labels))
        .withSpec(pod)
        .build();
  }

  // ---- launcher ------------------------------------------------------------------------------

  /** The launcher batch Job; suspended Jobs create no pods until resumed. */
  public Job launcherJob(boolean suspend) {
    MPIReplicaSpec replica = launcherSpec();
    PodTemplateSpec template = PodTemplates.copyOf(replica.getTemplate());
    Map<String, String> labels = podLabels(template, ROLE_LAUNCHER);
    if (launcherIsWorker()) {
      labels.put(JobLabels.REPLICA_INDEX, "0");
    }
    PodSpec pod = template.getSpec();
    pod.setHostname(MPIJobNames.launcher(name));
    pod.setSubdomain(MPIJobNames.service(name));
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      pod.setDnsPolicy("ClusterFirstWithHostNet");
    }
    pod.setRestartPolicy(replica.getRestartPolicy());
    if (pod.getServiceAccountName() == null || pod.getServiceAccountName().isEmpty()) {
      pod.setServiceAccountName(MPIJobNames.launcher(name));
    }
    PodTemplates.inheritPriorityClass(spec.getRunPolicy().getSchedulingPolicy(), pod);
    podPolicy.addTolerations(pod);
    Container main = pod.getContainers().get(0);
    addEnv(main, LauncherEnvironment.of(spec.getMpiImplementation(), slots(), launcherIsWorker()));
    addSshVolume(pod, main);
    pod.getVolumes().add(configVolume());
    main.getVolumeMounts()
        .add(
            new VolumeMountBuilder()
                .withName(CONFIG_VOLUME)
                .withMountPath(LauncherEnvironment.CONFIG_MOUNT_PATH)
                .build());
    PodTemplateSpec podTemplate = new PodTemplateSpec();
    podTemplate.setMetadata(podMeta(null, template, labels));
    podTemplate.setSpec(pod);
    return new JobBuilder()
        .withMetadata(ownedMeta(MPIJobNames.launcher(name)))
        .withNewSpec()
        .withActiveDeadlineSeconds(spec.getRunPolicy().getActiveDeadlineSeconds())
        .withBackoffLimit(spec.getRunPolicy().getBackoffLimit())
        .withPodReplacementPolicy("Failed")
        .withSuspend(suspend ? Boolean.TRUE : null)
        .withTemplate(podTemplate)
        .endSpec()
        .build();
  }

  /** The labels selecting this job's worker pods. */
  public Map<String, String> workerSelector() {
    Map<String, String> labels = selectorLabels();
    labels.put(JobLabels.JOB_ROLE, ROLE_WORKER);
    return labels;
  }

  /** The labels every object of this job carries, to find them again. */
  public Map<String, String> selectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JobLabels.OPERATOR_NAME, OPERATOR_NAME);
    labels.put(JobLabels.JOB_NAME, name);
    return labels;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Null-safe: the model of a spec that failed validation still answers for clean-up. */
  private MPIReplicaSpec workerSpec() {
    return spec.getMpiReplicaSpecs() == null
        ? null
        : spec.getMpiReplicaSpecs().get(MPIReplicaType.Worker.name());
  }

  private MPIReplicaSpec launcherSpec() {
    return spec.getMpiReplicaSpecs() == null
        ? null
        : spec.getMpiReplicaSpecs().get(MPIReplicaType.Launcher.name());
  }

  private int slots() {
    return spec.getSlotsPerWorker();
  }

  private GangMetadata gangMetadata(boolean gangByDefault) {
    // The launcher counts as a member, except when it is created only after every worker is
    // Ready: a scheduler waiting for it before placing the workers would wait forever.
    return GangMetadata.forJob(
        name,
        spec.getRunPolicy().getSchedulingPolicy(),
        gangByDefault,
        workerReplicas() + (waitsForWorkersReady() ? 0 : 1));
  }

  private Map<String, String> podLabels(PodTemplateSpec template, String role) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.putAll(selectorLabels());
    labels.put(JobLabels.JOB_ROLE, role);
    if (gang != null) {
      labels.putAll(gang.labels());
    }
    return labels;
  }

  private ObjectMeta podMeta(String podName, PodTemplateSpec template, Map<String, String> labels) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    if (gang != null) {
      annotations.putAll(gang.annotations());
    }
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder().withLabels(labels).withAnnotations(annotations);
    if (podName != null) {
      meta.withName(podName)
          .withNamespace(namespace)
          .withOwnerReferences(OwnerReferences.controlledBy(job));
    }
    return meta.build();
  }

  private ObjectMeta ownedMeta(String objectName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app", name);
    labels.putAll(selectorLabels());
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(OwnerReferences.controlledBy(job))
        .build();
  }

  /**
   * The job's key pair, mounted where ssh and sshd look for it. Mode 0600 only under /root/.ssh:
   * elsewhere the files stay 0644 and root-owned, which a non-root user's ssh and sshd accept.
   */
  private void addSshVolume(PodSpec pod, Container container) {
    String mountPath = spec.getSshAuthMountPath();
    VolumeBuilder volume =
        new VolumeBuilder()
            .withName(SSH_VOLUME)
            .withNewSecret()
            .withSecretName(MPIJobNames.sshSecret(name))
            .withItems(
                new KeyToPathBuilder().withKey("ssh-privatekey").withPath("id_rsa").build(),
                new KeyToPathBuilder().withKey("ssh-publickey").withPath("id_rsa.pub").build(),
                new KeyToPathBuilder().withKey("ssh-publickey").withPath("authorized_keys").build())
            .withDefaultMode(ROOT_SSH_PATH.equals(mountPath) ? 0600 : null)
            .endSecret();
    if (pod.getVolumes() == null) {
      pod.setVolumes(new ArrayList<>());
    } else {
      pod.setVolumes(new ArrayList<>(pod.getVolumes()));
    }
    pod.getVolumes().add(volume.build());
    List<VolumeMount> mounts =
        container.getVolumeMounts() == null
            ? new ArrayList<>()
            : new ArrayList<>(container.getVolumeMounts());
    mounts.add(new VolumeMountBuilder().withName(SSH_VOLUME).withMountPath(mountPath).build());
    container.setVolumeMounts(mounts);
  }

  private Volume configVolume() {
    return new VolumeBuilder()
        .withName(CONFIG_VOLUME)
        .withNewConfigMap()
        .withName(MPIJobNames.configMap(name))
        .withItems(
            new KeyToPathBuilder()
                .withKey(HOSTFILE_KEY)
                .withPath(HOSTFILE_KEY)
                .withMode(0444)
                .build(),
            new KeyToPathBuilder()
                .withKey(DISCOVER_HOSTS_KEY)
                .withPath(DISCOVER_HOSTS_KEY)
                .withMode(0555)
                .build())
        .endConfigMap()
        .build();
  }

  private static void addEnv(Container container, List<EnvVar> env) {
    List<EnvVar> all =
        container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
    all.addAll(env);
    container.setEnv(all);
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
