package org.imaginebot.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Uniform validation messages: each names the key, shows the bad value and says what is allowed.
 */
public final class Checks {

  private Checks() {}

  public static int between(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be blank, got " + quote(value));
    }
    return value;
  }

  public static Path path(String key, Path value) {
    if (value == null || value.toString().isBlank()) {
      throw new ConfigException(key + " must be a path, got " + (value == null ? "nothing" : "''"));
    }
    return value;
  }

  public static String oneOf(String key, String value, List<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new ConfigException(
          key + " must be one of " + String.join(", ", allowed) + ", got " + quote(value));
    }
    return value;
  }

  /** {@code null} as {@code nothing}, anything else in single quotes. */
  public static String quote(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
