package dev.strata.api.mpijob;

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

/** An MPI job (Horovod, plain MPI), wire-compatible with kubeflow.org/v2beta1 MPIJob. */
@Group(MPIJob.GROUP)
@Version(MPIJob.VERSION)
@Kind(MPIJob.KIND)
@Plural("mpijobs")
@Singular("mpijob")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Implementation",
    jsonPath = ".spec.mpiImplementation",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Workers",
    jsonPath = ".spec.mpiReplicaSpecs.Worker.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
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
        "size(self.metadata.name) + size('-worker-') + size(string("
            + MPIJob.CEL_WORKER_COUNT
            + " - 1)) <= 63",
    messageExpression =
        "'metadata.name: too long: the last worker pod would be named '"
            + " + self.metadata.name + '-worker-' + string("
            + MPIJob.CEL_WORKER_COUNT
            + " - 1) + ', longer than the 63 characters a DNS-1035 label allows'",
    reason = "FieldValueInvalid")
public class MPIJob extends CustomResource<MPIJobSpec, JobStatus> implements Namespaced {
  public static final String GROUP = "kubeflow.org";
  public static final String VERSION = "v2beta1";
  public static final String KIND = "MPIJob";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Worker replicas as upstream counts them for its name check: 1 unless set above 0. */
  static final String CEL_WORKER_COUNT =
      "(has(self.spec) && has(self.spec.mpiReplicaSpecs) && 'Worker' in self.spec.mpiReplicaSpecs"
          + " && has(self.spec.mpiReplicaSpecs['Worker'].replicas)"
          + " && self.spec.mpiReplicaSpecs['Worker'].replicas > 0"
          + " ? self.spec.mpiReplicaSpecs['Worker'].replicas : 1)";
}
