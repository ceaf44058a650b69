package dev.strata.operators.mpijob.ssh;

import java.util.Objects;

/**
 * The SSH identity an MPIJob's launcher uses to reach its workers, in the two text forms the job's
 * Secret carries.
 *
 * @param privateKeyPem the private key as PEM, usable as an OpenSSH identity file
 * @param authorizedKey the public key as one authorized_keys line, without a trailing newline
 */
public record SshKeyPair(String privateKeyPem, String authorizedKey) {

  public SshKeyPair {
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(authorizedKey, "authorizedKey");
  }

  /** Shows the public half only: key pairs end up in logs and assertion messages. */
  @Override
  public String toString() {
    return "SshKeyPair[authorizedKey=" + authorizedKey + ", privateKeyPem=<redacted>]";
  }
}
