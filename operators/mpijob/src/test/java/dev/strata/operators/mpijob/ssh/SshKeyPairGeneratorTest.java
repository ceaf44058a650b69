package dev.strata.operators.mpijob.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyPairGeneratorTest {

  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----\n";
  private static final String PEM_END = "-----END PRIVATE KEY-----\n";

  @Test
  void privateKeyIsPkcs8PemOfAP521Key() throws Exception {
    SshKeyPair pair = SshKeyPairGenerator.generate();

    assertThat(pair.privateKeyPem()).startsWith(PEM_BEGIN).endsWith(PEM_END);
    List<String> body = pemBodyLines(pair.privateKeyPem());
    assertThat(body).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(64));
    ECPrivateKey key = privateKey(pair);
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
  }

  @Test
  void authorizedKeyIsTheSshWireEncodingOfTheMatchingPublicKey() throws Exception {
    SshKeyPair pair = SshKeyPairGenerator.generate();

    assertThat(pair.authorizedKey()).startsWith("ecdsa-sha2-nistp521 ").doesNotContain("\n");
    String[] fields = pair.authorizedKey().split(" ");
    assertThat(fields).hasSize(2);
    DataInputStream wire =
        new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(fields[1])));
    assertThat(new String(readString(wire), StandardCharsets.US_ASCII))
        .isEqualTo("ecdsa-sha2-nistp521");
    assertThat(new String(readString(wire), StandardCharsets.US_ASCII)).isEqualTo("nistp521");
    byte[] point = readString(wire);
    assertThat(wire.available()).isZero();
    assertThat(point).hasSize(1 + 2 * 66);
    assertThat(point[0]).isEqualTo((byte) 0x04);

    // The public point must belong to the private key: a signature made with one verifies with
    // the other.
    ECPrivateKey privateKey = privateKey(pair);
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(point, 1, 67)),
            new BigInteger(1, Arrays.copyOfRange(point, 67, 133)));
    var publicKey =
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, privateKey.getParams()));
    byte[] message = "strata".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA512withECDSA");
    signer.initSign(privateKey);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA512withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(message);
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void everyCallGivesADifferentKeyPair() {
    SshKeyPair first = SshKeyPairGenerator.generate();
    SshKeyPair second = SshKeyPairGenerator.generate();

    assertThat(second.privateKeyPem()).isNotEqualTo(first.privateKeyPem());
    assertThat(second.authorizedKey()).isNotEqualTo(first.authorizedKey());
  }

  @Test
  void toStringNeverShowsThePrivateKey() {
    SshKeyPair pair = SshKeyPairGenerator.generate();

    assertThat(pair.toString())
        .contains(pair.authorizedKey())
        .doesNotContain("PRIVATE KEY")
        .doesNotContain(pemBodyLines(pair.privateKeyPem()).get(0));
  }

  @Test
  void opensshDerivesTheSamePublicKeyFromThePrivateKey(@TempDir Path dir) throws Exception {
    Optional<Path> sshKeygen = onPath("ssh-keygen");
    assumeTrue(
        sshKeygen.isPresent(),
        "ssh-keygen not on PATH: install openssh-client to check the key against OpenSSH");
    SshKeyPair pair = SshKeyPairGenerator.generate();
    // ssh refuses identity files that others can read.
    Path identity =
        Files.createFile(
            dir.resolve("id_rsa"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(identity, pair.privateKeyPem());

    Process process =
        new ProcessBuilder(sshKeygen.get().toString(), "-y", "-f", identity.toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.strip()).isEqualTo(pair.authorizedKey());
  }

  private static ECPrivateKey privateKey(SshKeyPair pair) throws Exception {
    byte[] der = Base64.getDecoder().decode(String.join("", pemBodyLines(pair.privateKeyPem())));
    return (ECPrivateKey)
        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static List<String> pemBodyLines(String pem) {
    return pem.lines().filter(line -> !line.startsWith("-----")).toList();
  }

  private static byte[] readString(DataInputStream in) throws IOException {
    byte[] value = new byte[in.readInt()];
    in.readFully(value);
    return value;
  }

  private static Optional<Path> onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
