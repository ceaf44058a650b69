package dev.strata.virtualnode.kubelet;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The kubelet endpoints' TLS, from the same PEM files a kubelet takes ({@code --tls-cert-file},
 * {@code --tls-private-key-file}, {@code --client-ca-file}).
 */
public final class KubeletTls {
  private KubeletTls() {}

  /**
   * @param clientCa verifies client certificates (the API server's kubelet client certificate);
   *     null: no certificate authentication, bearer tokens only
   */
  public static SSLContext context(Path certificate, Path privateKey, Path clientCa)
      throws IOException, GeneralSecurityException {
    char[] password = "strata".toCharArray();
    KeyStore keys;
    try (InputStream cert = Files.newInputStream(certificate);
        InputStream key = Files.newInputStream(privateKey)) {
      keys =
          CertUtils.createKeyStore(cert, key, keyAlgorithm(privateKey), password, null, password);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);

    TrustManagerFactory trustManagers = null;
    if (clientCa != null) {
      KeyStore trust = CertUtils.createTrustStore(null, clientCa.toString(), null, null);
      trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers.getKeyManagers(),
        trustManagers == null ? null : trustManagers.getTrustManagers(),
        null);
    return context;
  }

  private static String keyAlgorithm(Path privateKey) throws IOException {
    String pem = Files.readString(privateKey);
    return pem.contains("EC PRIVATE KEY") ? "EC" : "RSA";
  }
}
