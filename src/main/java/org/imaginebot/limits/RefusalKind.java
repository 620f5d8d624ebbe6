package org.imaginebot.limits;

import java.util.Locale;

/**
 * Which limit refused a request; each adapter shows the {@link Refusal}'s message, metrics count
 * the kind.
 */
public enum RefusalKind {
  /** The request itself is malformed: an unknown option, a value out of range. */
  BAD_REQUEST,
  BANNED_WORD,
  CHANNEL_NOT_ALLOWED,
  STRATEGY_NOT_ALLOWED,
  MODEL_NOT_ALLOWED,
  UNKNOWN_MODEL,
  TOO_MANY_STEPS,
  TOO_LARGE,
  USER_RATE_LIMITED,
  SCOPE_RATE_LIMITED,
  USER_QUEUE_FULL,
  QUEUE_FULL,
  /** The user has had the scope's daily number of images. */
  DAILY_QUOTA,
  /** The database cannot store jobs now (an outage); nothing was queued. */
  STORE_UNAVAILABLE;

  /** The lower-case name used as a metric tag, e.g. {@code user_rate_limited}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
