package org.imaginebot.settings;

import java.util.List;
import java.util.Map;

/**
 * Where moderators' changes to settings are kept, so that they survive restarts, with an audit log
 * of every change.
 *
 * <p>Values are canonical text ({@link ScopeSettings#value(Setting)}). Failures are {@link
 * SettingsStoreException}s.
 */
public interface SettingsStore extends AutoCloseable {

  /**
   * A store in a JDBC database (H2 or PostgreSQL), creating tables {@code settings_override} and
   * {@code settings_audit} if absent; it may share the database with the job store.
   *
   * @param jdbcUrl e.g. {@code jdbc:h2:file:./data/imagine}, or a PostgreSQL url
   */
  static SettingsStore jdbc(String jdbcUrl) {
    return JdbcSettingsStore.open(jdbcUrl);
  }

  /**
   * The settings changed in this scope, with their stored text; ids no longer known are skipped.
   */
  Map<Setting, String> overrides(String scopeId);

  /**
   * Stores one change and its audit row in one transaction: either both are kept or neither.
   *
   * @param removeOverride true to drop the scope's override (a reset to the default), false to keep
   *     {@code change.newValue()} as the override
   */
  void write(AuditEntry change, boolean removeOverride);

  /** The scope's most recent changes, newest first, at most {@code limit} of them. */
  List<AuditEntry> audit(String scopeId, int limit);

  @Override
  void close();
}
