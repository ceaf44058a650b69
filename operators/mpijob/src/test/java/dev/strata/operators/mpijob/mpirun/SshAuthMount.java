package dev.strata.operators.mpijob.mpirun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The MPIJob's SSH Secret as the launcher and workers see it: mounted at sshAuthMountPath with
 * ssh-privatekey as id_rsa, ssh-publickey as id_rsa.pub and as authorized_keys, all mode 0600.
 *
 * @param dir the directory standing in for the mount path
 */
public record SshAuthMount(Path dir) {

  public static final String PRIVATE_KEY = "ssh-privatekey";
  public static final String PUBLIC_KEY = "ssh-publickey";

  /** Writes the Secret's decoded data into {@code dir}, laid out as the pod volume would be. */
  public static SshAuthMount write(Path dir, Map<String, String> secretData) throws IOException {
    String privateKey = required(secretData, PRIVATE_KEY);
    String publicKey = required(secretData, PUBLIC_KEY);
    Files.createDirectories(dir);
    writePrivate(dir.resolve("id_rsa"), privateKey);
    writePrivate(dir.resolve("id_rsa.pub"), publicKey);
    writePrivate(dir.resolve("authorized_keys"), publicKey);
    return new SshAuthMount(dir);
  }

  public Path identityFile() {
    return dir.resolve("id_rsa");
  }

  public Path authorizedKeysFile() {
    return dir.resolve("authorized_keys");
  }

  public String authorizedKeys() throws IOException {
    return Files.readString(authorizedKeysFile());
  }

  private static String required(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalArgumentException("Secret data has no " + key + ": " + data.keySet());
    }
    return value;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
