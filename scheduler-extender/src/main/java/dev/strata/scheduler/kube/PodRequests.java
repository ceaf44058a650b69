package dev.strata.scheduler.kube;

import dev.strata.scheduler.core.NodeSpec;
import dev.strata.scheduler.core.PodRequest;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a Kubernetes {@link Pod} as the core's {@link PodRequest}, named after the pod.
 *
 * <p>Resources are counted as kube-scheduler counts them: the sum over the containers, plus
 * sidecars (init containers with {@code restartPolicy: Always}), or the largest single init
 * container (with the sidecars started before it) when that is more, plus {@code spec.overhead}. A
 * container that gives a limit but no request for a resource requests its limit, as the API
 * server's defaulting does; this is how {@value KubeKeys#GPU_RESOURCE} is usually given.
 *
 * <p>GPUs: {@value KubeKeys#GPU_RESOURCE} asks for whole GPUs; {@value KubeKeys#GPU_MILLI_RESOURCE}
 * (1..999 in total) for a share of one GPU. A pod asking for both, a fraction of a whole GPU, or a
 * share outside 1..999 is {@link Translation.Rejected}.
 *
 * <p>GPU models: {@code nodeSelector} {@value KubeKeys#GPU_MODEL_LABEL} and required node affinity
 * terms with operator {@code In} on that key restrict the models; terms are alternatives (a term
 * without that key allows any model), and the nodeSelector and affinity must both hold. Other
 * operators on the model key are rejected, since the core takes an allow-list. Selectors on other
 * keys are not the core's concern and are ignored.
 */
public final class PodRequests {

  private static final String CPU = "cpu";
  private static final String MEMORY = "memory";
  private static final List<String> RESOURCES =
      List.of(CPU, MEMORY, KubeKeys.GPU_RESOURCE, KubeKeys.GPU_MILLI_RESOURCE);

  private PodRequests() {}

  public static Translation<PodRequest> from(Pod pod) {
    String name = pod.getMetadata() == null ? null : pod.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      return Translation.rejected("pod has no name");
    }
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return Translation.rejected("pod " + name + " has no spec");
    }
    try {
      Map<String, BigDecimal> total = effectiveRequests(spec);
      long cpu = Quantities.cpuMilli(total.get(CPU), true);
      long memory = Quantities.mib(total.get(MEMORY), true);
      int gpus = Quantities.whole(KubeKeys.GPU_RESOURCE, total.get(KubeKeys.GPU_RESOURCE));
      int milli =
          Quantities.whole(KubeKeys.GPU_MILLI_RESOURCE, total.get(KubeKeys.GPU_MILLI_RESOURCE));
      if (gpus > 0 && milli > 0) {
        return Translation.rejected(
            "pod "
                + name
                + " asks for both "
                + KubeKeys.GPU_RESOURCE
                + " and "
                + KubeKeys.GPU_MILLI_RESOURCE
                + "; ask for whole GPUs or for a share of one, not both");
      }
      if (milli >= NodeSpec.GPU_MILLI) {
        return Translation.rejected(
            "pod "
                + name
                + " asks for "
                + KubeKeys.GPU_MILLI_RESOURCE
                + " "
                + milli
                + "; a share is 1..999 (use "
                + KubeKeys.GPU_RESOURCE
                + " for whole GPUs)");
      }
      Translation<Set<String>> models = allowedModels(name, spec);
      if (models instanceof Translation.Rejected<Set<String>> r) {
        return Translation.rejected(r.reason());
      }
      int gpuCount = gpus > 0 ? gpus : milli > 0 ? 1 : 0;
      int gpuMilli = gpus > 0 ? NodeSpec.GPU_MILLI : milli;
      return Translation.ok(new PodRequest(name, cpu, memory, gpuCount, gpuMilli, models.value()));
    } catch (Quantities.BadQuantity | ArithmeticException e) {
      return Translation.rejected("pod " + name + " has a bad resource request: " + e.getMessage());
    }
  }

  private static Map<String, BigDecimal> effectiveRequests(PodSpec spec)
      throws Quantities.BadQuantity {
    Map<String, BigDecimal> containers = zero();
    if (spec.getContainers() != null) {
      for (Container c : spec.getContainers()) {
        add(containers, requests(c));
      }
    }
    Map<String, BigDecimal> sidecars = zero();
    Map<String, BigDecimal> initPeak = zero();
    if (spec.getInitContainers() != null) {
      for (Container c : spec.getInitContainers()) {
        Map<String, BigDecimal> own = requests(c);
        if ("Always".equals(c.getRestartPolicy())) {
          // A sidecar keeps running: it adds to everything after it, init containers included.
          add(sidecars, own);
          max(initPeak, sidecars);
        } else {
          Map<String, BigDecimal> during = zero();
          add(during, own);
          add(during, sidecars);
          max(initPeak, during);
        }
      }
    }
    add(containers, sidecars);
    max(containers, initPeak);
    if (spec.getOverhead() != null) {
      Map<String, BigDecimal> overhead = zero();
      for (String resource : RESOURCES) {
        overhead.put(resource, Quantities.amount(resource, spec.getOverhead().get(resource)));
      }
      add(containers, overhead);
    }
    return containers;
  }

  private static Map<String, BigDecimal> requests(Container c) throws Quantities.BadQuantity {
    ResourceRequirements resources = c.getResources();
    Map<String, Quantity> requests =
        resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    Map<String, Quantity> limits =
        resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    Map<String, BigDecimal> amounts = zero();
    for (String resource : RESOURCES) {
      Quantity q = requests.containsKey(resource) ? requests.get(resource) : limits.get(resource);
      amounts.put(resource, Quantities.amount(resource, q));
    }
    return amounts;
  }

  private static Map<String, BigDecimal> zero() {
    Map<String, BigDecimal> m = new HashMap<>();
    RESOURCES.forEach(r -> m.put(r, BigDecimal.ZERO));
    return m;
  }

  private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
    more.forEach((r, v) -> into.merge(r, v, BigDecimal::add));
  }

  private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
    other.forEach((r, v) -> into.merge(r, v, BigDecimal::max));
  }

  /** The allowed GPU models, empty for any. */
  private static Translation<Set<String>> allowedModels(String pod, PodSpec spec) {
    Set<String> fromSelector = null;
    if (spec.getNodeSelector() != null
        && spec.getNodeSelector().containsKey(KubeKeys.GPU_MODEL_LABEL)) {
      fromSelector = Set.of(spec.getNodeSelector().get(KubeKeys.GPU_MODEL_LABEL));
    }
    Set<String> fromAffinity = null;
    Affinity affinity = spec.getAffinity();
    NodeSelector required =
        affinity == null || affinity.getNodeAffinity() == null
            ? null
            : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required != null && required.getNodeSelectorTerms() != null) {
      Set<String> union = new TreeSet<>();
      boolean anyTermUnrestricted = false;
      for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
        Set<String> termModels = null;
        if (term.getMatchExpressions() != null) {
          for (NodeSelectorRequirement req : term.getMatchExpressions()) {
            if (!KubeKeys.GPU_MODEL_LABEL.equals(req.getKey())) {
              continue;
            }
            if (!"In".equals(req.getOperator())) {
              return Translation.rejected(
                  "pod "
                      + pod
                      + " uses operator "
                      + req.getOperator()
                      + " on "
                      + KubeKeys.GPU_MODEL_LABEL
                      + " in its required node affinity; only In is supported");
            }
            Set<String> values =
                req.getValues() == null ? new TreeSet<>() : new TreeSet<>(req.getValues());
            if (termModels == null) {
              termModels = values;
            } else {
              termModels.retainAll(values);
            }
          }
        }
        if (termModels == null) {
          anyTermUnrestricted = true;
        } else {
          union.addAll(termModels);
        }
      }
      if (!anyTermUnrestricted && !required.getNodeSelectorTerms().isEmpty()) {
        fromAffinity = union;
      }
    }
    Set<String> allowed;
    if (fromSelector == null && fromAffinity == null) {
      return Translation.ok(Set.of());
    } else if (fromSelector == null) {
      allowed = fromAffinity;
    } else if (fromAffinity == null) {
      allowed = fromSelector;
    } else {
      allowed = new TreeSet<>(fromSelector);
      allowed.retainAll(fromAffinity);
    }
    if (allowed.isEmpty()) {
      return Translation.rejected(
          "pod "
              + pod
              + "'s nodeSelector and required node affinity on "
              + KubeKeys.GPU_MODEL_LABEL
              + " allow no GPU model at all");
    }
    return Translation.ok(allowed);
  }
}
