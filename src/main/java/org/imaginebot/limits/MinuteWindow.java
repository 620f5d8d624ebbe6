package org.imaginebot.limits;

/**
 * Requests counted in one fixed one-minute window of one user or one scope; not thread-safe (the
 * caller locks).
 *
 * <p>It counts what was used, not what is left, so the limit is a parameter of each question: a
 * moderator's new limit applies at once to what was already used in this window. A user who used 3
 * of 5 is refused under a new limit of 2 until the window ends; under a new limit of 8 they get 5
 * more. A window starts at its first request after the previous one ended.
 */
final class MinuteWindow {

  static final long PERIOD_NANOS = 60_000_000_000L;

  private long startNanos;
  private int used;
  private boolean started;

  /** Whether one more request fits under {@code limit} at {@code nowNanos}. */
  boolean hasRoom(long nowNanos, int limit) {
    roll(nowNanos);
    return used < limit;
  }

  /** Counts one request; call only after {@link #hasRoom} said yes under the same lock. */
  void take(long nowNanos) {
    roll(nowNanos);
    if (!started) {
      started = true;
      startNanos = nowNanos;
    }
    used++;
  }

  /**
   * Uncounts one request refused after it was counted (e.g. by a full queue). Nothing to undo once
   * its window has ended; if a new window was opened in between (a request landing within the
   * microseconds of a refusal at the minute's edge), that window gets one request back.
   */
  void giveBack(long nowNanos) {
    roll(nowNanos);
    if (used > 0) {
      used--;
    }
  }

  /** Nanoseconds until this window ends and its count starts again from zero; 0 if none is open. */
  long nanosUntilReset(long nowNanos) {
    roll(nowNanos);
    return started ? startNanos + PERIOD_NANOS - nowNanos : 0;
  }

  private void roll(long nowNanos) {
    // Subtraction, not comparison of raw values: nanoTime may be negative or wrap
    // (System.nanoTime).
    if (started && nowNanos - startNanos >= PERIOD_NANOS) {
      started = false;
      used = 0;
    }
  }
}
