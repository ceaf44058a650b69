package dev.strata.api.tfjob;

import dev.strata.api.common.JobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A TensorFlow job (parameter server or multi-worker), wire-compatible with kubeflow.org/v1. */
@Group(TFJob.GROUP)
@Version(TFJob.VERSION)
@Kind(TFJob.KIND)
@Plural("tfjobs")
@Singular("tfjob")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Workers",
    jsonPath = ".spec.tfReplicaSpecs.Worker.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.conditions[-1:].type",
    type = AdditionalPrinterColumn.Type.STRING)
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name: must be a DNS-1035 label: lower case letters, digits and '-',"
            + " starting with a letter and ending with a letter or digit",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "size(self.metadata.name) <= 63 && (!has(self.spec) || !has(self.spec.tfReplicaSpecs)"
            + " || self.spec.tfReplicaSpecs.all(k, size(self.metadata.name) + size(k) + 2"
            + " + size(string("
            + TFJob.CEL_LAST_INDEX
            + ")) <= 63))",
    message =
        "metadata.name: too long: every pod and service name <name>-<replica type>-<index>"
            + " must fit the 63 characters a DNS-1035 label allows",
    reason = "FieldValueInvalid")
public class TFJob extends CustomResource<TFJobSpec, JobStatus> implements Namespaced {
  public static final String GROUP = "kubeflow.org";
  public static final String VERSION = "v1";
  public static final String KIND = "TFJob";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The highest replica index of replica type {@code k}; replicas default to 1. */
  static final String CEL_LAST_INDEX =
      "(has(self.spec.tfReplicaSpecs[k].replicas) && self.spec.tfReplicaSpecs[k].replicas > 0"
          + " ? self.spec.tfReplicaSpecs[k].replicas : 1) - 1";
}
