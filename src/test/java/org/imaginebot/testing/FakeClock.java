package org.imaginebot.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, for expiry, audit times and queue timestamps. Thread-safe. */
public final class FakeClock extends Clock {

  private volatile Instant now;

  public FakeClock(Instant start) {
    this.now = start;
  }

  public static FakeClock atEpochSecond(long seconds) {
    return new FakeClock(Instant.ofEpochSecond(seconds));
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
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
