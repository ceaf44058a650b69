package dev.strata.sandbox;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Writes the sandbox's kubeconfig: one cluster, user and context per API server, named as the
 * server is ({@code tenant-<name>}, {@code compute}), the first one current. The file is written
 * whole to a temporary file beside it and moved into place, readable by its owner only.
 */
public final class Kubeconfigs {
  static final String USER = "sandbox-admin";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Kubeconfigs() {}

  /** The kubeconfig as an object: pure. */
  public static Config of(Map<String, String> urlsByContext) {
    ConfigBuilder config =
        new ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .addToUsers(
                new NamedAuthInfoBuilder()
                    .withName(USER)
                    .withNewUser()
                    .withToken("strata-sandbox")
                    .endUser()
                    .build());
    for (Map.Entry<String, String> server : urlsByContext.entrySet()) {
      NamedClusterBuilder cluster =
          new NamedClusterBuilder()
              .withName(server.getKey())
              .withNewCluster()
              .withServer(server.getValue())
              .endCluster();
      if (server.getValue().startsWith("https:")) {
        // The sandbox's certificates are made up at start; there is nothing to pin.
        cluster.editCluster().withInsecureSkipTlsVerify(true).endCluster();
      }
      config.addToClusters(cluster.build());
      config.addToContexts(
          new NamedContextBuilder()
              .withName(server.getKey())
              .withNewContext()
              .withCluster(server.getKey())
              .withUser(USER)
              .withNamespace("default")
              .endContext()
              .build());
    }
    urlsByContext.keySet().stream().findFirst().ifPresent(config::withCurrentContext);
    return config.build();
  }

  public static void write(Path file, Map<String, String> urlsByContext) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), ".kubeconfig", ".tmp");
    try {
      restrict(temporary);
      Files.writeString(temporary, YAML.asYaml(of(urlsByContext)));
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's permissions are all there is.
    }
  }
}
