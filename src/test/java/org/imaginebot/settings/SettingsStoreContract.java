package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC settings store on a real database: H2 and PostgreSQL run the same cases. */
abstract class SettingsStoreContract {

  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456Z");

  @TempDir Path dir;

  private final List<Database> opened = new ArrayList<>();
  private TestDatabase db;

  abstract TestDatabase database(Path dir);

  @BeforeEach
  void create() {
    db = database(dir);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Database::close);
    db.close();
  }

  private SettingsStore open() {
    Database database = db.open();
    opened.add(database);
    return SettingsStore.jdbc(database.dataSource());
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
    open().write(change("guild-1", Setting.BANNED_WORDS, "none", "cat, red panda", 0), false);
    opened.remove(0).close();

    SettingsStore again = open();

    assertThat(again.overrides("guild-1")).containsEntry(Setting.BANNED_WORDS, "cat, red panda");
    assertThat(again.audit("guild-1", 1).get(0).at()).isEqualTo(T0);
  }

  @Test
  void overrides_settingNoLongerKnown_skipped() {
    SettingsStore store = open();
    store.write(change("guild-1", Setting.MAX_STEPS, "500", "300", 0), false);
    db.execute(
        "INSERT INTO settings_override VALUES ('guild-1', 'colour', 'red', 'mod-1', TIMESTAMP WITH"
            + " TIME ZONE '2024-01-01 00:00:00Z')",
        "INSERT INTO settings_audit (scope_id, actor_id, setting_id, old_value, new_value,"
            + " changed_at) VALUES ('guild-1', 'mod-1', 'colour', 'blue', 'red', TIMESTAMP WITH"
            + " TIME ZONE '2024-01-01 00:00:00Z')");

    assertThat(store.overrides("guild-1")).isEqualTo(Map.of(Setting.MAX_STEPS, "300"));
    assertThat(store.audit("guild-1", 10))
        .extracting(AuditEntry::setting)
        .containsOnly(Setting.MAX_STEPS);
  }

  @Test
  void write_whileTheDatabaseIsGone_failsWithAShortCauseAndKeepsNothingHalfDone() {
    SettingsStore store = open();
    db.cut();

    assertThatThrownBy(() -> store.write(change("guild-1", Setting.MAX_STEPS, "1", "2", 0), false))
        .isInstanceOf(SettingsStoreException.class)
        .hasMessageMatching(
            "cannot save maxSteps of scope guild-1 \\(("
                + String.join("|", db.outageCauses())
                + ")\\); check that the database is reachable and writable");

    db.restore();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(store.overrides("guild-1")).isEmpty();
              assertThat(store.audit("guild-1", 10)).isEmpty();
            });
  }
}
