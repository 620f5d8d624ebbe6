package org.imaginebot.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.imaginebot.queue.JobAttachment;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobStoreException;

/**
 * How many images each user has had made per day in each scope, against the scope's live {@code
 * dailyImagesPerUser}. A day starts at {@code limits.quotaResetTime} UTC.
 *
 * <p>An admitted job counts: {@link #tryCount} reserves the image in memory (under one lock, so two
 * requests cannot both take the last one), and the returned {@link Use#attachment()} writes the
 * count into table {@code quota_usage} in the job's admission transaction, so the count is stored
 * exactly when the job is. A request the queue then refuses gives its image back (and a job a
 * cluster's queue refuses after storing it takes its count back out of the table when withdrawn).
 * Counts are read from the database the first time a user is seen on a day, so a restart forgets
 * nothing. Cache hits and requests that join an identical job never get here: they cost nothing.
 */
public final class DailyQuotas {

  /** One request's claim on its user's quota. */
  public interface Use {
    /** The row to write with the job (nothing when no quota applies). */
    JobAttachment attachment();

    /** The job was not admitted after all: the image is not counted. */
    void giveBack();
  }

  private static final Use FREE =
      new Use() {
        @Override
        public JobAttachment attachment() {
          return JobAttachment.NONE;
        }

        @Override
        public void giveBack() {}
      };

  private record Key(String scopeId, String userId, LocalDate day) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final LocalTime resetAt;
  private final Map<Key, Integer> used = new HashMap<>(); // guarded by this
  private LocalDate purgedBefore = LocalDate.MIN; // guarded by this

  public DailyQuotas(DataSource dataSource, Clock clock, LocalTime resetAt) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resetAt = Objects.requireNonNull(resetAt, "resetAt");
  }

  /**
   * Counts one image for {@code userId} in {@code scopeId}, or refuses when the user has had {@code
   * dailyLimit} today; {@code exempt} (a moderator) is asked only then.
   *
   * @param dailyLimit the scope's live setting; 0 means no limit
   * @return the use to store with the job, or the refusal
   * @throws JobStoreException when the day's count cannot be read
   */
  public Counted tryCount(String scopeId, String userId, int dailyLimit, BooleanSupplier exempt) {
    if (dailyLimit <= 0) {
      return new Counted(FREE, null);
    }
    Instant now = clock.instant();
    Key key = new Key(scopeId, userId, dayOf(now));
    synchronized (this) {
      purgeOldDays(key.day());
      int count = used.computeIfAbsent(key, this::load);
      if (count >= dailyLimit && !exempt.getAsBoolean()) {
        return new Counted(null, refusal(dailyLimit, now));
      }
      used.put(key, count + 1);
    }
    return new Counted(reservation(key), null);
  }

  /** Images {@code userId} has had made today in {@code scopeId}. */
  public int usedToday(String scopeId, String userId) {
    Key key = new Key(scopeId, userId, dayOf(clock.instant()));
    synchronized (this) {
      return used.computeIfAbsent(key, this::load);
    }
  }

  /** When the current quota day ends. */
  public Instant nextReset() {
    return dayOf(clock.instant()).plusDays(1).atTime(resetAt).toInstant(ZoneOffset.UTC);
  }

  /** The outcome of {@link #tryCount}: exactly one of use and refusal is set. */
  public record Counted(Use use, Refusal refusal) {}

  private LocalDate dayOf(Instant instant) {
    LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    LocalDate day = utc.toLocalDate();
    return utc.toLocalTime().isBefore(resetAt) ? day.minusDays(1) : day;
  }

  private Refusal refusal(int dailyLimit, Instant now) {
    Instant reset = nextReset();
    Duration left = Duration.between(now, reset);
    String in =
        left.toHours() > 0
            ? String.format(Locale.ROOT, "%d h %d min", left.toHours(), left.toMinutesPart())
            : String.format(Locale.ROOT, "%d min", Math.max(1, left.toMinutes()));
    return new Refusal(
        RefusalKind.DAILY_QUOTA,
        "You have had your "
            + dailyLimit
            + (dailyLimit == 1 ? " image" : " images")
            + " for today here, the daily limit; it starts again at "
            + resetAt
            + " UTC, in "
            + in
            + ". Images made before (the same prompt and settings) are still free.",
        left);
  }

  private Use reservation(Key key) {
    return new Use() {
      private boolean givenBack;

      @Override
      public JobAttachment attachment() {
        return new JobAttachment() {
          @Override
          public void store(Connection connection, JobId job) throws SQLException {
            increment(connection, key);
          }

          @Override
          public void withdraw(Connection connection, JobId job) throws SQLException {
            decrement(connection, key);
          }
        };
      }

      @Override
      public void giveBack() {
        synchronized (DailyQuotas.this) {
          if (!givenBack) {
            givenBack = true;
            used.computeIfPresent(key, (k, n) -> Math.max(0, n - 1));
          }
        }
      }
    };
  }

  private int load(Key key) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT used FROM quota_usage WHERE scope_id = ? AND user_id = ? AND quota_day = ?")) {
      select.setString(1, key.scopeId());
      select.setString(2, key.userId());
      select.setObject(3, key.day());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot read today's image count (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  /** In the admission's transaction: the admission group is written by one writer at a time. */
  private static void increment(Connection connection, Key key) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE quota_usage SET used = used + 1"
                + " WHERE scope_id = ? AND user_id = ? AND quota_day = ?")) {
      update.setString(1, key.scopeId());
      update.setString(2, key.userId());
      update.setObject(3, key.day());
      if (update.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO quota_usage (scope_id, user_id, quota_day, used) VALUES (?, ?, ?, 1)")) {
      insert.setString(1, key.scopeId());
      insert.setString(2, key.userId());
      insert.setObject(3, key.day());
      insert.executeUpdate();
    }
  }

  /** Undoes {@link #increment} for a job withdrawn after it was stored. */
  private static void decrement(Connection connection, Key key) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE quota_usage SET used = used - 1"
                + " WHERE scope_id = ? AND user_id = ? AND quota_day = ? AND used > 0")) {
      update.setString(1, key.scopeId());
      update.setString(2, key.userId());
      update.setObject(3, key.day());
      update.executeUpdate();
    }
  }

  private void purgeOldDays(LocalDate today) {
    if (purgedBefore.isBefore(today)) {
      used.keySet().removeIf(k -> k.day().isBefore(today));
      purgedBefore = today;
    }
  }
}
