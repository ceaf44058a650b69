package dev.strata.virtualnode.forward;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Every label and name the forwarder writes on the compute side, in one place. */
public final class ComputeNames {
  public static final String TENANT = "strata.dev/tenant";
  public static final String TIER = "strata.dev/tier";
  public static final String SOURCE_NAMESPACE = "strata.dev/source-namespace";
  public static final String SOURCE_NAME = "strata.dev/source-name";
  public static final String SOURCE_UID = "strata.dev/source-uid";
  public static final String MANAGED_BY = "strata.dev/managed-by";

  /** Annotation keys the tenant pod carried at the last forward, so removals can go forward. */
  public static final String FORWARDED_ANNOTATIONS = "strata.dev/forwarded-annotations";

  /** The component name on Events the forwarder writes in the tenant cluster. */
  public static final String EVENT_COMPONENT = "strata-virtual-node";

  private static final int MAX_LABEL_VALUE = 63;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private ComputeNames() {}

  /** The value of {@link #MANAGED_BY} on everything one tenant's forwarder owns. */
  public static String managedBy(String tenant) {
    return "virtual-node-" + tenant;
  }

  /**
   * A gang's name on the compute side, {@code <tenant>.<namespace>.<group>}, so that gangs of the
   * same name in different tenants or namespaces never merge (design guide, decision 4); shortened
   * with a hash when it would not fit a label value.
   */
  public static String gang(String tenant, String namespace, String group) {
    return labelSafe(tenant + "." + namespace + "." + group);
  }

  /** The name of the tenant Event that reflects a compute Event. */
  public static String reflectedEvent(String tenantPod, String computeEventUid) {
    return tenantPod + "." + hash(computeEventUid, 16);
  }

  /** {@code value} when it is a valid label value, else a valid prefix of it plus a hash. */
  static String labelSafe(String value) {
    if (value.length() <= MAX_LABEL_VALUE && LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String prefix = value.replaceAll("[^-A-Za-z0-9_.]", "-");
    prefix = prefix.substring(0, Math.min(prefix.length(), MAX_LABEL_VALUE - 11));
    prefix = prefix.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    String hash = hash(value, 10);
    return prefix.isEmpty() ? hash : prefix + "-" + hash;
  }

  static String hash(String value, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
