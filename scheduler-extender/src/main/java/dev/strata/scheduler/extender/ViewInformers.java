package dev.strata.scheduler.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/** Keeps a {@link ClusterView} up to date from informers on all Nodes and all Pods. */
public final class ViewInformers implements AutoCloseable {

  private final List<SharedIndexInformer<?>> informers;

  private ViewInformers(List<SharedIndexInformer<?>> informers) {
    this.informers = informers;
  }

  /** Starts both informers and returns once their first lists are in the view. */
  public static ViewInformers start(KubernetesClient client, ClusterView view) {
    SharedIndexInformer<Node> nodes =
        client
            .nodes()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Node node) {
                    view.upsertNode(node);
                  }

                  @Override
                  public void onUpdate(Node old, Node node) {
                    view.upsertNode(node);
                  }

                  @Override
                  public void onDelete(Node node, boolean unknownFinalState) {
                    view.removeNode(node.getMetadata().getName());
                  }
                });
    SharedIndexInformer<Pod> pods =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    view.upsertPod(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    view.upsertPod(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    view.removePod(pod);
                  }
                });
    return new ViewInformers(List.of(nodes, pods));
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
