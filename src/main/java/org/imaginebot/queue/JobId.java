package org.imaginebot.queue;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The short, url-safe id of one job, as shown to users and put in button ids.
 *
 * <p>Random ids are 10 characters of {@code [A-Za-z0-9_-]} (60 bits). They need not be secret:
 * cancelling checks the requester, not knowledge of the id.
 */
public record JobId(String value) {

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
  private static final int LENGTH = 10;

  public JobId {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "job id must be 1 to 64 characters of A-Z, a-z, 0-9, '-' or '_', got '" + value + "'");
    }
  }

  // A loop, not a regex: ids are made on every admission, which must stay cheap.
  private static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A new random id. */
  public static JobId random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] chars = new char[LENGTH];
    long bits = random.nextLong();
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET[(int) (bits & 63)];
      bits >>>= 6;
    }
    return new JobId(new String(chars));
  }

  @Override
  public String toString() {
    return value;
  }
}
