package dev.strata.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;

/** One in-process API server of the sandbox: the compute cluster's or a tenant cluster's. */
public interface ApiServer extends AutoCloseable {
  /** {@code compute} or {@code tenant-<name>}: also its kubeconfig cluster and context name. */
  String name();

  /** The URL kubectl and other processes reach it at, e.g. {@code http://127.0.0.1:41234}. */
  String url();

  /** A client for the sandbox's in-process components, made for this server. */
  KubernetesClient client();

  @Override
  void close();
}
