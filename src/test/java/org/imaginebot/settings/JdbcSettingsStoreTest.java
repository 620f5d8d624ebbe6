package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class JdbcSettingsStoreTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456Z");

  @TempDir Path dir;

  private final List<SettingsStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(SettingsStore::close);
  }

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("db");
  }

  private SettingsStore open() {
    SettingsStore store = SettingsStore.jdbc(url());
    opened.add(store);
    return store;
  }

  private static AuditEntry change(String scope, Setting setting, String old, String now, int sec) {
    return new AuditEntry(scope, "mod-1", setting, old, now, T0.plusSeconds(sec));
  }

  @Test
  void overrides_newScope_empty() {
    assertThat(open().overrides("guild-1")).isEmpty();
  }

  @Test
  void write_twice_keepsLatestOverrideAndBothAuditRows() {
    SettingsStore store = open();

    store.write(change("guild-1", Setting.MAX_STEPS, "500", "300", 0), false);
    store.write(change("guild-1", Setting.MAX_STEPS, "300", "200", 1), false);
    store.write(change("guild-1", Setting.MODELS, "*", "a, b", 2), false);

    assertThat(store.overrides("guild-1"))
        .isEqualTo(Map.of(Setting.MAX_STEPS, "200", Setting.MODELS, "a, b"));
    assertThat(store.audit("guild-1", 10))
        .containsExactly(
            change("guild-1", Setting.MODELS, "*", "a, b", 2),
            change("guild-1", Setting.MAX_STEPS, "300", "200", 1),
            change("guild-1", Setting.MAX_STEPS, "500", "300", 0));
  }

  @Test
  void write_removeOverride_dropsRowButAudits() {
    SettingsStore store = open();
    store.write(change("guild-1", Setting.MAX_STEPS, "500", "300", 0), false);

    store.write(change("guild-1", Setting.MAX_STEPS, "300", "500", 1), true);

    assertThat(store.overrides("guild-1")).isEmpty();
    assertThat(store.audit("guild-1", 10)).hasSize(2);
  }

  @Test
  void audit_limit_givesNewestOnly() {
    SettingsStore store = open();
    for (int i = 0; i < 5; i++) {
      store.write(change("guild-1", Setting.MAX_STEPS, "x", Integer.toString(i + 1), i), false);
    }

    assertThat(store.audit("guild-1", 2))
        .extracting(AuditEntry::newValue)
        .containsExactly("5", "4");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> store.audit("guild-1", 0))
        .withMessage("limit must be at least 1, got 0");
  }

  @Test
  void scopes_areSeparate() {
    SettingsStore store = open();
    store.write(change("guild-1", Setting.MAX_STEPS, "500", "300", 0), false);

    assertThat(store.overrides("T-workspace")).isEmpty();
    assertThat(store.audit("T-workspace", 10)).isEmpty();
  }

  @Test
  void reopen_keepsOverridesAndAuditWithMicrosecondTimes() {
    SettingsStore first = SettingsStore.jdbc(url());
    first.write(change("guild-1", Setting.BANNED_WORDS, "none", "cat, red panda", 0), false);
    first.close();

    SettingsStore again = open();

    assertThat(again.overrides("guild-1")).containsEntry(Setting.BANNED_WORDS, "cat, red panda");
    assertThat(again.audit("guild-1", 1).get(0).at()).isEqualTo(T0);
  }

  @Test
  void overrides_settingNoLongerKnown_skipped() throws SQLException {
    SettingsStore store = open();
    store.write(change("guild-1", Setting.MAX_STEPS, "500", "300", 0), false);
    execute(
        "INSERT INTO settings_override VALUES ('guild-1', 'colour', 'red', 'mod-1', TIMESTAMP WITH"
            + " TIME ZONE '2024-01-01 00:00:00Z')");
    execute(
        "INSERT INTO settings_audit (scope_id, actor_id, setting_id, old_value, new_value,"
            + " changed_at) VALUES ('guild-1', 'mod-1', 'colour', 'blue', 'red', TIMESTAMP WITH"
            + " TIME ZONE '2024-01-01 00:00:00Z')");

    assertThat(store.overrides("guild-1")).isEqualTo(Map.of(Setting.MAX_STEPS, "300"));
    assertThat(store.audit("guild-1", 10))
        .extracting(AuditEntry::setting)
        .containsOnly(Setting.MAX_STEPS);
  }

  @Test
  void jdbc_sharesDatabaseWithOtherTables() throws SQLException {
    open().close();
    try (Connection c = DriverManager.getConnection(url());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_NAME IN ('SETTINGS_OVERRIDE', 'SETTINGS_AUDIT')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
    open(); // tables exist already: opening again is fine
  }

  @Test
  void jdbc_unreachableDatabase_messageNamesUrlWithoutPassword() {
    assertThatThrownBy(() -> SettingsStore.jdbc("jdbc:nosuchdb://host/db?user=bot&password=s3cret"))
        .isInstanceOf(SettingsStoreException.class)
        .hasMessageStartingWith(
            "cannot open settings database jdbc:nosuchdb://host/db?user=bot&password=***: ")
        .hasMessageContaining("check the URL")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void write_afterClose_failsNamingDatabase() {
    SettingsStore store = open();
    store.close();

    assertThatThrownBy(() -> store.write(change("guild-1", Setting.MAX_STEPS, "1", "2", 0), false))
        .isInstanceOf(SettingsStoreException.class)
        .hasMessageStartingWith(
            "cannot save maxSteps of scope guild-1 in settings database " + url())
        .hasMessageEndingWith("; check that the database is reachable and writable");
  }

  @Test
  void redact_hidesPasswordsInParametersAndUserInfo() {
    assertThat(JdbcSettingsStore.redact("jdbc:h2:file:./x;USER=sa;PASSWORD=top;CIPHER=AES"))
        .isEqualTo("jdbc:h2:file:./x;USER=sa;PASSWORD=***;CIPHER=AES");
    assertThat(
            JdbcSettingsStore.redact("jdbc:postgresql://db:5432/bot?user=bot&password=pw&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/bot?user=bot&password=***&ssl=true");
    assertThat(JdbcSettingsStore.redact("jdbc:mysql://bot:pw@db/bot"))
        .isEqualTo("jdbc:mysql://bot:***@db/bot");
    assertThat(JdbcSettingsStore.redact("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
  }

  private void execute(String sql) throws SQLException {
    // a second connection in the same process shares the open embedded database
    try (Connection c = DriverManager.getConnection(url());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
