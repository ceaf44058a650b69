package dev.strata.operators.mpijob.ssh;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Generates the SSH key pair of an MPIJob, like Kubeflow's mpi-operator does, with the JDK alone.
 *
 * <p>ECDSA P-521 because that is the key type mpi-operator puts in its Secrets, so launcher and
 * worker images built for upstream accept ours; and because the JDK can both generate it and encode
 * its private key in a form OpenSSH reads, without a crypto library.
 */
public final class SshKeyPairGenerator {

  /** The key type name, in the SSH wire format and in authorized_keys. */
  public static final String KEY_TYPE = "ecdsa-sha2-nistp521";

  private static final String CURVE_NAME = "nistp521";

  /** (521 + 7) / 8: SSH and SEC1 pad each coordinate to the field's byte length. */
  private static final int COORDINATE_BYTES = 66;

  private SshKeyPairGenerator() {}

  /** A fresh key pair; every call gives a different one. */
  public static SshKeyPair generate() {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp521r1"), new SecureRandom());
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      // Every JDK 17 ships SunEC with secp521r1; missing it is a broken runtime, not a job error.
      throw new IllegalStateException("JDK cannot generate ECDSA P-521 keys", e);
    }
    return new SshKeyPair(
        privateKeyPem(pair.getPrivate().getEncoded()),
        authorizedKey((ECPublicKey) pair.getPublic()));
  }

  /**
   * PKCS#8 ("BEGIN PRIVATE KEY"), where mpi-operator writes SEC1 ("BEGIN EC PRIVATE KEY"): it is
   * what the JDK encodes natively, and ssh reads either through OpenSSL (checked against OpenSSH
   * 9.2 by SshKeyPairGeneratorTest). OpenSSH's own key format would need a hand-written encoder.
   */
  private static String privateKeyPem(byte[] pkcs8) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  private static String authorizedKey(ECPublicKey key) {
    // RFC 5656 section 3.1: string key type, string curve name, string Q as an uncompressed point.
    ByteArrayOutputStream point = new ByteArrayOutputStream();
    point.write(0x04);
    point.writeBytes(unsigned(key.getW().getAffineX()));
    point.writeBytes(unsigned(key.getW().getAffineY()));

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeString(wire, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
    writeString(wire, CURVE_NAME.getBytes(StandardCharsets.US_ASCII));
    writeString(wire, point.toByteArray());
    return KEY_TYPE + " " + Base64.getEncoder().encodeToString(wire.toByteArray());
  }

  /** BigInteger is signed and minimal; a point coordinate is unsigned and fixed-length. */
  private static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    if (raw.length == COORDINATE_BYTES) {
      return raw;
    }
    byte[] fixed = new byte[COORDINATE_BYTES];
    if (raw.length > COORDINATE_BYTES) {
      // Only a leading sign byte can make it longer.
      System.arraycopy(raw, raw.length - COORDINATE_BYTES, fixed, 0, COORDINATE_BYTES);
    } else {
      System.arraycopy(raw, 0, fixed, COORDINATE_BYTES - raw.length, raw.length);
    }
    return fixed;
  }

  private static void writeString(ByteArrayOutputStream out, byte[] value) {
    int n = value.length;
    out.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    out.writeBytes(value);
  }
}
