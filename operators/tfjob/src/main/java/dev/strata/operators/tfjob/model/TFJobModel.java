package dev.strata.operators.tfjob.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.common.Copies;
import dev.strata.api.common.RestartPolicy;
import dev.strata.api.tfjob.TFJob;
import dev.strata.api.tfjob.TFJobDefaults;
import dev.strata.api.tfjob.TFJobNames;
import dev.strata.api.tfjob.TFJobSpec;
import dev.strata.api.tfjob.TFReplicaSpec;
import dev.strata.api.tfjob.TFReplicaType;
import dev.strata.operators.common.GangMetadata;
import dev.strata.operators.common.JobLabels;
import dev.strata.operators.common.JobPodPolicy;
import dev.strata.operators.common.OwnerReferences;
import dev.strata.operators.common.PodTemplates;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything a TFJob becomes, as objects to create: pure (spec in, objects out, no API calls).
 * Names, labels, Services and TF_CONFIG follow kubeflow/training-operator v1 (release-1.9); where
 * Strata differs it says why, and docs/tfjob.md lists every difference.
 */
public final class TFJobModel {
  public static final String OPERATOR_NAME = "tfjob-controller";
  public static final String ROLE_MASTER = "master";
  public static final String TF_CONFIG = "TF_CONFIG";

  /** Opt-in annotation on the TFJob: run each PS task inside a worker pod. */
  public static final String COLOCATE_PS = "strata.dev/colocate-ps";

  /** The PS container a co-located worker pod runs next to its tensorflow container. */
  public static final String PS_CONTAINER = "tensorflow-ps";

  public static final String PS_PORT_NAME = "tfjob-ps-port";

  /**
   * On a replica's Service: how many times the controller deleted that replica's pod to recreate it
   * (ExitCode restarts, pods the kubelet gave up on). The Service outlives the pods, so the count
   * survives them; backoffLimit reads it.
   */
  public static final String RESTARTS = "strata.dev/restarts";

  /**
   * On a replica's Service, next to {@link #RESTARTS}: the UID of the pod whose restart was counted
   * last, so a cache that still shows that pod after its deletion does not count it again.
   */
  public static final String RESTARTED_POD = "strata.dev/restarted-pod";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TFJob job;
  private final TFJobSpec spec;
  private final String name;
  private final String namespace;
  private final GangMetadata gang;
  private final JobPodPolicy podPolicy;

  private TFJobModel(TFJob job, JobPodPolicy podPolicy) {
    this.job = TFJobDefaults.withDefaults(job);
    this.spec = this.job.getSpec();
    this.name = job.getMetadata().getName();
    this.namespace = job.getMetadata().getNamespace();
    this.podPolicy = podPolicy;
    this.gang = gangMetadata(podPolicy.gangByDefault());
  }

  /** With what the operator adds to every pod (gang metadata, tolerations). */
  public static TFJobModel fromCrd(TFJob job, JobPodPolicy podPolicy) {
    return new TFJobModel(job, podPolicy);
  }

  public TFJob defaultedJob() {
    return job;
  }

  public String name() {
    return name;
  }

  /** {@code <namespace>/<name>}, as messages name the job. */
  public String id() {
    return namespace + "/" + name;
  }

  public boolean suspended() {
    return Boolean.TRUE.equals(spec.getRunPolicy().getSuspend());
  }

  public boolean dynamicWorker() {
    return Boolean.TRUE.equals(spec.getEnableDynamicWorker());
  }

  /**
   * PS co-location is on: the annotation says "true", and there are PS and Worker replicas to put
   * together. Otherwise the annotation changes nothing.
   */
  public boolean colocatesPs() {
    var annotations = job.getMetadata().getAnnotations();
    return annotations != null
        && "true".equals(annotations.get(COLOCATE_PS))
        && replicaSpec(TFReplicaType.PS) != null
        && replicas(TFReplicaType.Worker) > 0;
  }

  /** The replica types of the spec, in a fixed order (PS, Worker, Chief, Master, Evaluator). */
  public List<TFReplicaType> types() {
    List<TFReplicaType> types = new ArrayList<>();
    for (TFReplicaType type : TFReplicaType.values()) {
      if (replicaSpec(type) != null) {
        types.add(type);
      }
    }
    return types;
  }

  /** The types that get pods and Services of their own: co-located PS tasks get none. */
  public List<TFReplicaType> podTypes() {
    return types().stream().filter(t -> !(t == TFReplicaType.PS && colocatesPs())).toList();
  }

  public TFReplicaSpec replicaSpec(TFReplicaType type) {
    return spec.getTfReplicaSpecs() == null ? null : spec.getTfReplicaSpecs().get(type.name());
  }

  public int replicas(TFReplicaType type) {
    TFReplicaSpec replica = replicaSpec(type);
    // Null-safe and never negative: the model of a spec that failed validation still answers.
    return replica == null || replica.getReplicas() == null
        ? 0
        : Math.max(0, replica.getReplicas());
  }

  /** The number of PS tasks: the PS replicas, or one per worker when co-located. */
  public int psTasks() {
    return colocatesPs() ? replicas(TFReplicaType.Worker) : replicas(TFReplicaType.PS);
  }

  public String restartPolicy(TFReplicaType type) {
    return replicaSpec(type).getRestartPolicy();
  }

  /** The number of pods the job runs. */
  public int totalPods() {
    return podTypes().stream().mapToInt(this::replicas).sum();
  }

  public boolean hasChiefOrMaster() {
    return types().stream().anyMatch(TFReplicaType::isChiefOrMaster);
  }

  /** The Chief/Master, or worker 0 when there is neither, carries job-role=master. */
  public boolean isMaster(TFReplicaType type, int index) {
    if (hasChiefOrMaster()) {
      return type.isChiefOrMaster();
    }
    return type == TFReplicaType.Worker && index == 0;
  }

  /**
   * Upstream sets TF_CONFIG only on distributed jobs: more or fewer than exactly one replica in
   * all.
   */
  public boolean distributed() {
    return types().stream().mapToInt(this::replicas).sum() != 1 || colocatesPs();
  }

  /** The tensorflow container's tfjob-port (2222 unless the user declared another). */
  public int port(TFReplicaType type) {
    Container main = tensorflowContainer(replicaSpec(type).getTemplate().getSpec());
    if (main != null && main.getPorts() != null) {
      for (ContainerPort port : main.getPorts()) {
        if (TFJobDefaults.PORT_NAME.equals(port.getName())) {
          return port.getContainerPort();
        }
      }
    }
    return TFJobDefaults.PORT;
  }

  /** The port a co-located PS task listens on: the worker's tfjob-port + 1. */
  public int psPort() {
    return port(TFReplicaType.Worker) + 1;
  }

  public static String lower(TFReplicaType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The address a peer reaches replica {@code index} of {@code type} by: {@code <service>:<port>}.
   * Upstream writes {@code <service>.<namespace>.svc:<port>}, which breaks once the virtual node
   * runs the pod in a differently named namespace of the compute cluster (design guide, decision
   * 3); the Service name resolves through the pod's own namespace search path wherever it runs.
   */
  public String address(TFReplicaType type, int index) {
    return TFJobNames.replica(name, type.name(), index) + ":" + port(type);
  }

  private String psAddress(int index) {
    if (colocatesPs()) {
      return TFJobNames.replica(name, TFReplicaType.Worker.name(), index) + ":" + psPort();
    }
    return address(TFReplicaType.PS, index);
  }

  // ---- TF_CONFIG -----------------------------------------------------------------------------

  /**
   * The cluster spec: lower-case type to addresses, keys sorted (as Go's encoding/json writes a
   * map). The Evaluator is not part of the training cluster and is left out.
   */
  public Map<String, List<String>> clusterSpec() {
    Map<String, List<String>> cluster = new TreeMap<>();
    // Every replica type, the Evaluator included, as training-operator v1 lists them.
    for (TFReplicaType type : types()) {
      if (type == TFReplicaType.PS) {
        cluster.put(lower(type), IntStream.range(0, psTasks()).mapToObj(this::psAddress).toList());
      } else {
        int count = replicas(type);
        cluster.put(
            lower(type), IntStream.range(0, count).mapToObj(i -> address(type, i)).toList());
      }
    }
    return cluster;
  }

  /**
   * TF_CONFIG for task {@code index} of {@code type}, as upstream's genTFConfigJSONStr writes it:
   * {@code {"cluster":{...},"task":{"type":..,"index":..},"environment":"cloud"}}; with
   * enableDynamicWorker upstream's sparse form {@code {"sparseCluster":{"worker":{..},"ps":[..]},
   * "task":{..}}}, where a worker sees every PS and itself, a PS only itself, others nothing.
   */
  public String tfConfig(TFReplicaType type, int index) {
    Map<String, List<String>> cluster = clusterSpec();
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("type", lower(type));
    task.put("index", index);
    Map<String, Object> config = new LinkedHashMap<>();
    if (dynamicWorker()) {
      Map<String, String> workers = new LinkedHashMap<>();
      List<String> ps = new ArrayList<>();
      if (type == TFReplicaType.PS) {
        ps.add(cluster.get(lower(type)).get(index));
      } else if (type == TFReplicaType.Worker) {
        ps = cluster.get(lower(TFReplicaType.PS)); // null (written as null) without PS
        workers.put(Integer.toString(index), cluster.get(lower(type)).get(index));
      }
      Map<String, Object> sparse = new LinkedHashMap<>();
      sparse.put("worker", workers);
      sparse.put("ps", ps);
      config.put("sparseCluster", sparse);
      config.put("task", task);
    } else {
      config.put("cluster", cluster);
      config.put("task", task);
      config.put("environment", "cloud");
    }
    try {
      return JSON.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- pods ----------------------------------------------------------------------------------

  public Pod pod(TFReplicaType type, int index) {
    PodTemplateSpec template = PodTemplates.copyOf(replicaSpec(type).getTemplate());
    String podName = TFJobNames.replica(name, type.name(), index);
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.putAll(replicaLabels(type, index));
    if (isMaster(type, index)) {
      labels.put(JobLabels.JOB_ROLE, ROLE_MASTER);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    if (gang != null) {
      labels.putAll(gang.labels());
      annotations.putAll(gang.annotations());
    }
    PodSpec pod = template.getSpec();
    pod.setContainers(new ArrayList<>(pod.getContainers()));
    // The controller does ExitCode's restarting; the kubelet must leave the failed pod alone.
    String policy = restartPolicy(type);
    pod.setRestartPolicy(
        RestartPolicy.ExitCode.name().equals(policy) ? RestartPolicy.Never.name() : policy);
    PodTemplates.inheritPriorityClass(spec.getRunPolicy().getSchedulingPolicy(), pod);
    podPolicy.addTolerations(pod);
    if (distributed()) {
      Container main = tensorflowContainer(pod);
      if (main != null) {
        setEnv(main, TF_CONFIG, tfConfig(type, index));
      }
    }
    if (type == TFReplicaType.Worker && colocatesPs()) {
      addPsContainer(pod, index);
    }
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(podName)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerReferences.controlledBy(job))
                .build())
        .withSpec(pod)
        .build();
  }

  /**
   * The PS task {@code index} in worker pod {@code index}: the PS replica's tensorflow container,
   * renamed, on its own port, with its own TF_CONFIG; the PS pod's volumes come along.
   */
  private void addPsContainer(PodSpec pod, int index) {
    PodSpec ps = PodTemplates.copyOf(replicaSpec(TFReplicaType.PS).getTemplate()).getSpec();
    Container container = Copies.deepCopy(tensorflowContainer(ps));
    container.setName(PS_CONTAINER);
    List<ContainerPort> ports = new ArrayList<>();
    if (container.getPorts() != null) {
      container.getPorts().stream()
          .filter(p -> !TFJobDefaults.PORT_NAME.equals(p.getName()))
          .forEach(ports::add);
    }
    ports.add(
        new ContainerPortBuilder().withName(PS_PORT_NAME).withContainerPort(psPort()).build());
    container.setPorts(ports);
    setEnv(container, TF_CONFIG, tfConfig(TFReplicaType.PS, index));
    pod.getContainers().add(container);
    if (ps.getVolumes() != null && !ps.getVolumes().isEmpty()) {
      List<Volume> volumes =
          pod.getVolumes() == null ? new ArrayList<>() : new ArrayList<>(pod.getVolumes());
      Set<String> present = volumes.stream().map(Volume::getName).collect(Collectors.toSet());
      ps.getVolumes().stream().filter(v -> !present.contains(v.getName())).forEach(volumes::add);
      pod.setVolumes(volumes);
    }
  }

  // ---- Services ------------------------------------------------------------------------------

  /**
   * The headless Service of one replica: upstream's labels as selector, and every port of the
   * tensorflow container by name (the co-located PS port too).
   */
  public Service service(TFReplicaType type, int index) {
    Map<String, String> labels = replicaLabels(type, index);
    List<ServicePort> ports = new ArrayList<>();
    Container main = tensorflowContainer(replicaSpec(type).getTemplate().getSpec());
    if (main != null && main.getPorts() != null) {
      for (ContainerPort port : main.getPorts()) {
        ports.add(
            new ServicePortBuilder()
                .withName(port.getName())
                .withPort(port.getContainerPort())
                .build());
      }
    }
    if (type == TFReplicaType.Worker && colocatesPs()) {
      ports.add(new ServicePortBuilder().withName(PS_PORT_NAME).withPort(psPort()).build());
    }
    return new ServiceBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(TFJobNames.replica(name, type.name(), index))
                .withNamespace(namespace)
                .withLabels(labels)
                .withOwnerReferences(OwnerReferences.controlledBy(job))
                .build())
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(new LinkedHashMap<>(labels))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  // ---- labels --------------------------------------------------------------------------------

  /** The labels every object of this job carries, to find them again (upstream's GenLabels). */
  public Map<String, String> selectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JobLabels.OPERATOR_NAME, OPERATOR_NAME);
    labels.put(JobLabels.JOB_NAME, name);
    return labels;
  }

  /** The labels of one replica's pod and Service, job-role aside. */
  public Map<String, String> replicaLabels(TFReplicaType type, int index) {
    Map<String, String> labels = selectorLabels();
    labels.put(JobLabels.REPLICA_TYPE, lower(type));
    labels.put(JobLabels.REPLICA_INDEX, Integer.toString(index));
    return labels;
  }

  /** The status' selector of one replica type, as upstream writes it: keys sorted. */
  public String replicaSelector(TFReplicaType type) {
    Map<String, String> labels = new TreeMap<>(selectorLabels());
    labels.put(JobLabels.REPLICA_TYPE, lower(type));
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** The gang metadata pods carry, or null when the job is not gang-scheduled. */
  public GangMetadata gang() {
    return gang;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private GangMetadata gangMetadata(boolean gangByDefault) {
    return GangMetadata.forJob(
        name, spec.getRunPolicy().getSchedulingPolicy(), gangByDefault, totalPods());
  }

  static Container tensorflowContainer(PodSpec pod) {
    if (pod == null || pod.getContainers() == null) {
      return null;
    }
    return pod.getContainers().stream()
        .filter(c -> TFJobDefaults.CONTAINER_NAME.equals(c.getName()))
        .findFirst()
        .orElse(null);
  }

  private static void setEnv(Container container, String name, String value) {
    List<EnvVar> env =
        container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
    env.add(new EnvVar(name, value, null));
    container.setEnv(env);
  }
}
