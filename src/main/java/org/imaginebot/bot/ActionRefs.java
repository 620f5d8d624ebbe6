package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobStoreException;
import org.imaginebot.queue.RequestJson;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests behind chat buttons (Re-roll, Variations, Timelapse), by the short reference a
 * button carries, in table {@code action_ref}: buttons keep working after a restart, for {@code
 * queue.buttonTtl} (a week by default). Platform-neutral: any adapter's buttons can use it. Expired
 * rows are deleted now and then as new ones are written.
 */
public final class ActionRefs {

  private static final Logger LOG = LoggerFactory.getLogger(ActionRefs.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final DataSource dataSource;
  private final Duration ttl;
  private final Clock clock;
  private volatile Instant nextPurge = Instant.MIN;

  public ActionRefs(DataSource dataSource, Duration ttl, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Keeps {@code request} for {@code ttl} and returns the reference its buttons carry; empty when
   * the database cannot store it (the reply then goes out without buttons rather than not at all).
   */
  public Optional<String> remember(GenerationRequest request) {
    String ref = JobId.random().value();
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      purgeNowAndThen(connection, now);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO action_ref (ref, request_json, expires_at) VALUES (?, ?, ?)")) {
        insert.setString(1, ref);
        insert.setString(2, RequestJson.write(request));
        insert.setObject(3, OffsetDateTime.ofInstant(now.plus(ttl), ZoneOffset.UTC));
        insert.executeUpdate();
      }
      return Optional.of(ref);
    } catch (SQLException e) {
      LOG.warn(
          "cannot keep the request behind a reply's buttons ({}); the reply goes out without them",
          DatabaseFailure.describe(e));
      return Optional.empty();
    }
  }

  /**
   * A reference to {@code request} that is stored only when first asked for, then the same one
   * every time ({@code null} when the database could not store it, as {@link #remember}): an
   * adapter makes one before submitting and asks for it once the request is accepted, so a refused
   * request writes nothing. Safe to ask from several threads (a cache hit asks inside {@code
   * submit}, a worker may ask when its job ends).
   */
  public Supplier<String> onDemand(GenerationRequest request) {
    Objects.requireNonNull(request, "request");
    return new Supplier<>() {
      private boolean stored;
      private String ref;

      @Override
      public synchronized String get() {
        if (!stored) {
          stored = true;
          ref = remember(request).orElse(null);
        }
        return ref;
      }
    };
  }

  /**
   * The request behind {@code ref}; empty when it is unknown or expired.
   *
   * @throws JobStoreException when the database cannot be read
   */
  public Optional<GenerationRequest> find(String ref) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT request_json FROM action_ref WHERE ref = ? AND expires_at > ?")) {
      select.setString(1, ref);
      select.setObject(2, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(RequestJson.read(row.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot read the request behind a button (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  private void purgeNowAndThen(Connection connection, Instant now) throws SQLException {
    if (now.isBefore(nextPurge)) {
      return;
    }
    nextPurge = now.plus(PURGE_EVERY);
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM action_ref WHERE expires_at <= ?")) {
      delete.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      delete.executeUpdate();
    }
  }
}
