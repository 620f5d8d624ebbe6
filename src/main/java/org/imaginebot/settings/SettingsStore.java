package org.imaginebot.settings;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where moderators' changes to settings are kept, so that they survive restarts, with an audit log
 * of every change.
 *
 * <p>Values are canonical text ({@link ScopeSettings#value(Setting)}). Failures are {@link
 * SettingsStoreException}s.
 */
public interface SettingsStore {

  /**
   * A store in tables {@code settings_override} and {@code settings_audit} of a JDBC database (H2
   * or PostgreSQL) whose schema is migrated ({@code org.imaginebot.db.Database}); it shares the
   * pool with the job store.
   */
  static SettingsStore jdbc(DataSource dataSource) {
    return new JdbcSettingsStore(dataSource);
  }

  /**
   * The settings changed in this scope, with their stored text; ids no longer known are skipped.
   */
  Map<Setting, String> overrides(String scopeId);

  /** The scopes that changed {@code setting} from its default. */
  List<String> scopesOverriding(Setting setting);

  /**
   * Stores one change and its audit row in one transaction: either both are kept or neither.
   *
   * @param removeOverride true to drop the scope's override (a reset to the default), false to keep
   *     {@code change.newValue()} as the override
   */
  void write(AuditEntry change, boolean removeOverride);

  /** The scope's most recent changes, newest first, at most {@code limit} of them. */
  List<AuditEntry> audit(String scopeId, int limit);
}
