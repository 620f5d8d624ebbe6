package org.imaginebot.bot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.imaginebot.queue.JobStoreException;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each user's own defaults per scope ({@link UserPrefs}), in table {@code user_prefs}: they outlive
 * restarts and every bot node on the database sees the same. A user without defaults has no row.
 * Writes are an UPDATE, then an INSERT when there was no row (and the UPDATE again when another
 * node inserted it meanwhile).
 */
public final class UserPrefsStore {

  private static final Logger LOG = LoggerFactory.getLogger(UserPrefsStore.class);

  /** SQL state of a unique key violation, in H2 and PostgreSQL alike. */
  private static final String DUPLICATE_KEY = "23505";

  private final DataSource dataSource;
  private final Clock clock;

  /**
   * @param clock stamps {@code updated_at}
   */
  public UserPrefsStore(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The user's saved defaults in the scope; {@link UserPrefs#NONE} when there are none.
   *
   * @throws JobStoreException when the database cannot be read
   */
  UserPrefs get(String scopeId, String userId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT model, strategy, steps, grid FROM user_prefs WHERE scope_id = ? AND user_id = ?")) {
      select.setString(1, scopeId);
      select.setString(2, userId);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return UserPrefs.NONE;
        }
        int steps = row.getInt(3);
        OptionalInt savedSteps =
            row.wasNull() || steps < 1 ? OptionalInt.empty() : OptionalInt.of(steps);
        int grid = row.getInt(4);
        OptionalInt savedGrid =
            row.wasNull() || (grid != 1 && grid != GenerationRequest.GRID)
                ? OptionalInt.empty()
                : OptionalInt.of(grid);
        return new UserPrefs(
            Optional.ofNullable(row.getString(1)).filter(m -> !m.isBlank()),
            strategy(row.getString(2)),
            savedSteps,
            savedGrid);
      }
    } catch (SQLException e) {
      throw failure("read the defaults of user " + userId, e);
    }
  }

  /**
   * Saves {@code prefs} as the user's defaults in the scope, replacing what was saved; {@link
   * UserPrefs#NONE} removes the row.
   *
   * @throws JobStoreException when the database cannot be written
   */
  void put(String scopeId, String userId, UserPrefs prefs) {
    Objects.requireNonNull(prefs, "prefs");
    try (Connection connection = dataSource.getConnection()) {
      if (prefs.isEmpty()) {
        try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM user_prefs WHERE scope_id = ? AND user_id = ?")) {
          delete.setString(1, scopeId);
          delete.setString(2, userId);
          delete.executeUpdate();
        }
        return;
      }
      OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      if (update(connection, scopeId, userId, prefs, now)) {
        return;
      }
      try {
        insert(connection, scopeId, userId, prefs, now);
      } catch (SQLException e) {
        if (!DUPLICATE_KEY.equals(e.getSQLState())
            || !update(connection, scopeId, userId, prefs, now)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw failure("save the defaults of user " + userId, e);
    }
  }

  private static boolean update(
      Connection connection, String scopeId, String userId, UserPrefs prefs, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE user_prefs SET model = ?, strategy = ?, steps = ?, grid = ?, updated_at = ?"
                + " WHERE scope_id = ? AND user_id = ?")) {
      int i = values(update, prefs);
      update.setObject(i++, now);
      update.setString(i++, scopeId);
      update.setString(i, userId);
      return update.executeUpdate() > 0;
    }
  }

  private static void insert(
      Connection connection, String scopeId, String userId, UserPrefs prefs, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO user_prefs (model, strategy, steps, grid, updated_at, scope_id, user_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      int i = values(insert, prefs);
      insert.setObject(i++, now);
      insert.setString(i++, scopeId);
      insert.setString(i, userId);
      insert.executeUpdate();
    }
  }

  /** Sets model, strategy, steps and grid as parameters 1 to 4; returns the next index. */
  private static int values(PreparedStatement statement, UserPrefs prefs) throws SQLException {
    statement.setString(1, prefs.model().orElse(null));
    statement.setString(2, prefs.strategy().map(Strategy::id).orElse(null));
    if (prefs.steps().isPresent()) {
      statement.setInt(3, prefs.steps().getAsInt());
    } else {
      statement.setNull(3, Types.INTEGER);
    }
    if (prefs.grid().isPresent()) {
      statement.setInt(4, prefs.grid().getAsInt());
    } else {
      statement.setNull(4, Types.INTEGER);
    }
    return 5;
  }

  /** A strategy this version no longer knows is dropped, so the scope's default applies. */
  private static Optional<Strategy> strategy(String id) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Strategy.parse(id));
    } catch (IllegalArgumentException e) {
      LOG.warn("a saved default names strategy '{}', which this version does not know", id);
      return Optional.empty();
    }
  }

  private static JobStoreException failure(String what, SQLException e) {
    return new JobStoreException("cannot " + what + " (" + DatabaseFailure.describe(e) + ")", e);
  }
}
