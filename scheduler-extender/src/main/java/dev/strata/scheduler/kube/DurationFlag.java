package dev.strata.scheduler.kube;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A duration flag as Kubernetes components take them: {@code 90s}, {@code 2m}, {@code 1h}, {@code
 * 500ms}, a number of seconds, or ISO-8601 ({@code PT90S}).
 */
public final class DurationFlag implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt")) {
      return Duration.parse(value.trim());
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    char unit = v.charAt(v.length() - 1);
    if (Character.isDigit(unit)) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (unit) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new CommandLine.TypeConversionException("not a duration: " + value);
    };
  }
}
