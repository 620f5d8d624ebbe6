package org.imaginebot.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, for expiry, audit times and queue timestamps. Thread-safe.
 *
 * <p>It also keeps a monotonic {@link #nanoTime()} (for nanoTime suppliers and Caffeine's {@code
 * Ticker}: {@code clock::nanoTime}) that {@link #advance} moves together with the wall time, while
 * {@link #stepWallClock} moves only the wall time, as an NTP correction would.
 */
public final class FakeClock extends Clock {

  private volatile Instant now;
  private volatile long nanos = 1_000_000_000L; // arbitrary origin, as System.nanoTime's

  public FakeClock(Instant start) {
    this.now = start;
  }

  public static FakeClock atEpochSecond(long seconds) {
    return new FakeClock(Instant.ofEpochSecond(seconds));
  }

  /** Lets {@code d} pass: both the wall time and the monotonic time move by it. */
  public synchronized void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; use stepWallClock, got " + d);
    }
    now = now.plus(d);
    nanos += d.toNanos();
  }

  /** Sets the wall clock by {@code d} (either way) without time passing: monotonic time stays. */
  public synchronized void stepWallClock(Duration d) {
    now = now.plus(d);
  }

  /** Monotonic nanoseconds, like {@link System#nanoTime()}. */
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
