package dev.strata.virtualnode.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's keytool: a client CA, a client certificate it signs (as the
 * API server's kubelet-client certificate), and a server certificate for 127.0.0.1, with the PEM
 * files a kubelet takes.
 */
final class TestCertificates {
  static final char[] PASSWORD = "changeit".toCharArray();

  final Path serverCert;
  final Path serverKey;
  final Path clientCa;
  final Path clientKeyStore;
  final Path serverKeyStore;

  private TestCertificates(Path dir) {
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    clientCa = dir.resolve("ca.crt");
    clientKeyStore = dir.resolve("client.p12");
    serverKeyStore = dir.resolve("server.p12");
  }

  static TestCertificates create(Path dir, String clientSubject) throws Exception {
    TestCertificates c = new TestCertificates(dir);
    Path ca = dir.resolve("ca.p12");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=strata-test-ca",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca.toString());
    keytool(
        dir,
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-file",
        c.clientCa.toString());
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "client",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        clientSubject,
        "-validity",
        "2",
        "-keystore",
        c.clientKeyStore.toString());
    Path csr = dir.resolve("client.csr");
    Path signed = dir.resolve("client.crt");
    keytool(
        dir,
        "-certreq",
        "-alias",
        "client",
        "-keystore",
        c.clientKeyStore.toString(),
        "-file",
        csr.toString());
    keytool(
        dir,
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-infile",
        csr.toString(),
        "-outfile",
        signed.toString(),
        "-ext",
        "eku=clientAuth",
        "-validity",
        "2");
    keytool(
        dir,
        "-importcert",
        "-noprompt",
        "-trustcacerts",
        "-alias",
        "ca",
        "-keystore",
        c.clientKeyStore.toString(),
        "-file",
        c.clientCa.toString());
    keytool(
        dir,
        "-importcert",
        "-alias",
        "client",
        "-keystore",
        c.clientKeyStore.toString(),
        "-file",
        signed.toString());

    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=strata-virtual-node",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        c.serverKeyStore.toString());
    keytool(
        dir,
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        c.serverKeyStore.toString(),
        "-file",
        c.serverCert.toString());
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(c.serverKeyStore)) {
      server.load(in, PASSWORD);
    }
    PrivateKey key = (PrivateKey) server.getKey("server", PASSWORD);
    Files.writeString(
        c.serverKey,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return c;
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
