package org.imaginebot.settings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.imaginebot.db.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SettingsStore} over the shared connection pool, in SQL that runs on H2 and PostgreSQL
 * alike; the tables come from the migrations ({@code db/migration}).
 *
 * <p>Changes are rare; reads happen once per scope, then {@link LiveSettings} caches. Times are
 * {@code TIMESTAMP WITH TIME ZONE} (microsecond precision). Overrides are upserted portably:
 * UPDATE, then INSERT when no row was updated (writes are serialized so two cannot both INSERT).
 */
final class JdbcSettingsStore implements SettingsStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcSettingsStore.class);

  private final DataSource dataSource;

  JdbcSettingsStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public List<String> scopesOverriding(Setting setting) {
    String sql = "SELECT scope_id FROM settings_override WHERE setting_id = ? ORDER BY scope_id";
    List<String> scopes = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, setting.id());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          scopes.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot list the scopes that changed " + setting.id(), e);
    }
    return scopes;
  }

  @Override
  public Map<Setting, String> overrides(String scopeId) {
    String sql = "SELECT setting_id, setting_value FROM settings_override WHERE scope_id = ?";
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, scopeId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          try {
            overrides.put(Setting.byId(id), rs.getString(2));
          } catch (SettingException e) {
            LOG.warn("ignoring stored setting '{}' of scope {}: no such setting now", id, scopeId);
          }
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read settings of scope " + scopeId, e);
    }
    return overrides;
  }

  @Override
  public synchronized void write(
      AuditEntry change, boolean removeOverride) { // upsert: UPDATE then INSERT
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (removeOverride) {
          removeOverride(connection, change);
        } else {
          upsertOverride(connection, change);
        }
        appendAudit(connection, change);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      } // the pool restores auto-commit when the connection goes back
    } catch (SQLException e) {
      throw failure("cannot save " + change.setting().id() + " of scope " + change.scopeId(), e);
    }
  }

  private static void upsertOverride(Connection connection, AuditEntry change) throws SQLException {
    String update =
        "UPDATE settings_override SET setting_value = ?, updated_by = ?, updated_at = ?"
            + " WHERE scope_id = ? AND setting_id = ?";
    try (PreparedStatement st = connection.prepareStatement(update)) {
      st.setString(1, change.newValue());
      st.setString(2, change.actorId());
      st.setObject(3, utc(change));
      st.setString(4, change.scopeId());
      st.setString(5, change.setting().id());
      if (st.executeUpdate() > 0) {
        return;
      }
    }
    String insert =
        "INSERT INTO settings_override (scope_id, setting_id, setting_value, updated_by,"
            + " updated_at) VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement st = connection.prepareStatement(insert)) {
      st.setString(1, change.scopeId());
      st.setString(2, change.setting().id());
      st.setString(3, change.newValue());
      st.setString(4, change.actorId());
      st.setObject(5, utc(change));
      st.executeUpdate();
    }
  }

  private static void removeOverride(Connection connection, AuditEntry change) throws SQLException {
    String sql = "DELETE FROM settings_override WHERE scope_id = ? AND setting_id = ?";
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, change.scopeId());
      st.setString(2, change.setting().id());
      st.executeUpdate();
    }
  }

  private static void appendAudit(Connection connection, AuditEntry change) throws SQLException {
    String sql =
        "INSERT INTO settings_audit"
            + " (scope_id, actor_id, setting_id, old_value, new_value, changed_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      st.setString(1, change.scopeId());
      st.setString(2, change.actorId());
      st.setString(3, change.setting().id());
      st.setString(4, change.oldValue());
      st.setString(5, change.newValue());
      st.setObject(6, utc(change));
      st.executeUpdate();
    }
  }

  @Override
  public List<AuditEntry> audit(String scopeId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    String sql =
        "SELECT actor_id, setting_id, old_value, new_value, changed_at FROM settings_audit"
            + " WHERE scope_id = ? ORDER BY id DESC";
    List<AuditEntry> entries = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      st.setMaxRows(limit);
      st.setString(1, scopeId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next() && entries.size() < limit) {
          Setting setting;
          try {
            setting = Setting.byId(rs.getString(2));
          } catch (SettingException e) {
            continue; // a setting since removed: its history is no longer shown
          }
          entries.add(
              new AuditEntry(
                  scopeId,
                  rs.getString(1),
                  setting,
                  rs.getString(3),
                  rs.getString(4),
                  rs.getObject(5, OffsetDateTime.class).toInstant()));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read the settings audit of scope " + scopeId, e);
    }
    return entries;
  }

  private static SettingsStoreException failure(String what, SQLException e) {
    return new SettingsStoreException(
        what
            + " ("
            + DatabaseFailure.describe(e)
            + "); check that the database is reachable and writable",
        e);
  }

  private static OffsetDateTime utc(AuditEntry change) {
    return OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC);
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the caller needs to see
    }
  }
}
