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
 * The requests behind chat buttons (Re-roll, Variations, Timelapse, Info, Delete), by the short
 * reference a button carries, with who asked for them (user and scope), in table {@code
 * action_ref}: buttons keep working after a restart, for {@code queue.buttonTtl} (a week by
 * default). Platform-neutral: any adapter's buttons can use it. Expired rows are deleted now and
 * then as new ones are written; a deleted reply's row stays until then.
 *
 * <p>A reference asked for through {@link #onDemand} is made at once and its row stored in the
 * background ({@link RefWriter}), so a reply never waits for the database; until the row is stored
 * it is answered from memory, and a failed write is tried again until it lands.
 */
public final class ActionRefs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActionRefs.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  /** Waits between tries of a failed background write: 0.5 s doubling up to a minute. */
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);

  private static final Duration LAST_RETRY = Duration.ofMinutes(1);

  /**
   * Rows held in memory at most while the database is away (a reply past that has no buttons, as
   * when it could not be stored before the writes moved off the reply's path): a few MB.
   */
  private static final int MAX_PENDING = 10_000;

  private final DataSource dataSource;
  private final Duration ttl;
  private final Clock clock;
  private final RefWriter writer;
  private volatile Instant nextPurge = Instant.MIN;

  public ActionRefs(DataSource dataSource, Duration ttl, Clock clock) {
    this(dataSource, ttl, clock, FIRST_RETRY);
  }

  /**
   * @param firstRetry the wait before a failed background write is tried again, doubled after each
   *     further failure up to a minute
   */
  public ActionRefs(DataSource dataSource, Duration ttl, Clock clock, Duration firstRetry) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writer =
        new RefWriter(
            dataSource,
            clock,
            firstRetry,
            LAST_RETRY.compareTo(firstRetry) < 0 ? firstRetry : LAST_RETRY,
            MAX_PENDING,
            this::purgeNowAndThen);
  }

  /**
   * A remembered request and who asked for it.
   *
   * @param requesterId the asker's user id; null for a row kept before requesters were recorded
   * @param scopeId the guild or workspace it was asked in; null as {@code requesterId}
   * @param jobId the job that made the image; null for a cache hit (none ran) and older rows
   */
  public record Entry(GenerationRequest request, String requesterId, String scopeId, String jobId) {

    public Entry {
      Objects.requireNonNull(request, "request");
    }

    /** An entry with no job known. */
    public Entry(GenerationRequest request, String requesterId, String scopeId) {
      this(request, requesterId, scopeId, null);
    }
  }

  /**
   * A reference stored when first asked for ({@link #onDemand}); {@link #madeBy} names the job that
   * makes its image, before or after that.
   */
  public interface Pending extends Supplier<String> {

    /** The job that makes the image behind this reference (null: a cache hit, none). */
    void madeBy(JobId job);
  }

  /**
   * Keeps {@code request} and who asked for it ({@code requester}'s user and scope) for {@code ttl}
   * and returns the reference its buttons carry; empty when the database cannot store it (the reply
   * then goes out without buttons rather than not at all).
   */
  public Optional<String> remember(GenerationRequest request, Requester requester) {
    return remember(request, requester, null);
  }

  /** As {@link #remember(GenerationRequest, Requester)}, with the job that made the image. */
  public Optional<String> remember(GenerationRequest request, Requester requester, JobId job) {
    Objects.requireNonNull(requester, "requester");
    String ref = JobId.random().value();
    Instant now = clock.instant();
    try (Connection connection = dataSource.getConnection()) {
      purgeNowAndThen(connection, now);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO action_ref (ref, request_json, expires_at, requester_id, scope_id,"
                  + " job_id) VALUES (?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, ref);
        insert.setString(2, RequestJson.write(request));
        insert.setObject(3, OffsetDateTime.ofInstant(now.plus(ttl), ZoneOffset.UTC));
        insert.setString(4, requester.userId());
        insert.setString(5, requester.scopeId());
        insert.setString(6, job == null ? null : job.value());
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
   * A reference to {@code request} of {@code requester} that is stored only when first asked for,
   * then the same one every time: an adapter makes one before submitting and asks for it once the
   * request is accepted, so a refused request writes nothing. Asking returns at once: the row is
   * written in the background and readable here meanwhile ({@code null} only when too many rows
   * already wait for a database that is away: the reply then goes out without buttons). Safe to ask
   * from several threads (a cache hit asks inside {@code submit}, a worker may ask when its job
   * ends).
   */
  public Pending onDemand(GenerationRequest request, Requester requester) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(requester, "requester");
    return new Pending() {
      private boolean asked;
      private PendingRef row; // null: not asked yet, or not taken
      private JobId job;

      @Override
      public synchronized String get() {
        if (!asked) {
          asked = true;
          PendingRef made =
              new PendingRef(
                  JobId.random().value(), request, requester, clock.instant().plus(ttl), job);
          row = writer.store(made) ? made : null;
        }
        return row == null ? null : row.ref;
      }

      @Override
      public synchronized void madeBy(JobId made) {
        job = made;
        if (row != null && made != null) { // a fast job asked first: rare
          writer.noteJob(row, made);
        }
      }
    };
  }

  /**
   * The request behind {@code ref}; empty when it is unknown or expired.
   *
   * @throws JobStoreException when the database cannot be read
   */
  public Optional<GenerationRequest> find(String ref) {
    return entry(ref).map(Entry::request);
  }

  /**
   * The request behind {@code ref} with who asked for it; empty when it is unknown or expired.
   *
   * @throws JobStoreException when the database cannot be read
   */
  public Optional<Entry> entry(String ref) {
    PendingRef pending = writer.pending(ref);
    if (pending != null) { // handed to the writer, not yet stored: asked right after the reply
      return pending.expiredAt(clock.instant()) ? Optional.empty() : Optional.of(pending.entry());
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT request_json, requester_id, scope_id, job_id FROM action_ref"
                    + " WHERE ref = ? AND expires_at > ?")) {
      select.setString(1, ref);
      select.setObject(2, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(
                new Entry(
                    RequestJson.read(row.getString(1)),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JobStoreException(
          "cannot read the request behind a button (" + DatabaseFailure.describe(e) + ")", e);
    }
  }

  /**
   * Stores the rows handed over so far (waiting a few seconds at most) and stops the background
   * writer; rows it could not store are logged.
   */
  @Override
  public void close() {
    writer.close();
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
