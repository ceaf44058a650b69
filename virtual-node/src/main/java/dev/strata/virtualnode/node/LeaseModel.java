package dev.strata.virtualnode.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The node's heartbeat Lease in kube-node-lease, as a kubelet keeps it: named after the node, held
 * by the node, owned by the Node so that it goes when the Node goes. Pure.
 */
public final class LeaseModel {
  private LeaseModel() {}

  public static Lease renewed(Lease existing, Node owner, NodeOptions options, Instant now) {
    LeaseBuilder lease = existing == null ? new LeaseBuilder() : new LeaseBuilder(existing);
    lease
        .editOrNewMetadata()
        .withName(options.nodeName())
        .withNamespace(NodeKeys.LEASE_NAMESPACE)
        .endMetadata();
    if (owner != null && owner.getMetadata().getUid() != null) {
      lease
          .editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(owner.getMetadata().getName())
                  .withUid(owner.getMetadata().getUid())
                  .build())
          .endMetadata();
    }
    return lease
        .editOrNewSpec()
        .withHolderIdentity(options.nodeName())
        .withLeaseDurationSeconds((int) options.leaseDuration().toSeconds())
        .withRenewTime(ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
        .endSpec()
        .build();
  }
}
