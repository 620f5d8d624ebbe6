package org.imaginebot.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * A request that was not accepted, as a value: which limit, what to tell the user, and when a retry
 * can succeed.
 *
 * @param kind which limit was hit
 * @param message for the user: what was wrong and what to do
 * @param retryAfter how long until the same request can be accepted; {@link Duration#ZERO} when
 *     waiting does not help (the request itself must change)
 */
public record Refusal(RefusalKind kind, String message, Duration retryAfter) {

  public Refusal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
    }
  }

  /** A refusal that waiting does not cure. */
  public static Refusal of(RefusalKind kind, String message) {
    return new Refusal(kind, message, Duration.ZERO);
  }

  /** True when the same request will be accepted after {@link #retryAfter()}. */
  public boolean retryable() {
    return !retryAfter.isZero();
  }
}
