package org.imaginebot.bench.fake.discord;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Discord snowflakes: {@code (ms since 2015-01-01) << 22 | increment}. */
final class Snowflakes {
  static final long DISCORD_EPOCH_MS = 1_420_070_400_000L;
  private static final AtomicLong COUNTER = new AtomicLong();

  private Snowflakes() {}

  static String at(Instant time) {
    long ms = time.toEpochMilli() - DISCORD_EPOCH_MS;
    if (ms < 0) {
      throw new IllegalArgumentException("snowflake time must be after 2015-01-01, got " + time);
    }
    return Long.toUnsignedString(ms << 22 | (COUNTER.incrementAndGet() & 0x3F_FFFFL));
  }

  static String now() {
    return at(Instant.now());
  }

  static Instant time(String snowflake) {
    return Instant.ofEpochMilli((Long.parseUnsignedLong(snowflake) >>> 22) + DISCORD_EPOCH_MS);
  }

  static void requireSnowflake(String field, String value) {
    if (value == null
        || value.isEmpty()
        || !value.chars().allMatch(Character::isDigit)
        || value.length() > 20) {
      throw new IllegalArgumentException(
          field + " must be a snowflake (decimal digits), got " + value);
    }
  }
}
