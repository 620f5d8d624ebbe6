package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.JobStoreException;
import org.imaginebot.request.Strategy;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' saved defaults in a real database (H2 and PostgreSQL run the same cases). */
abstract class UserPrefsStoreContract {

  private static final UserPrefs ALL =
      new UserPrefs(
          Optional.of("tiny"), Optional.of(Strategy.SEARCH), OptionalInt.of(50), OptionalInt.of(4));

  @TempDir Path dir;

  private final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  private final List<Database> opened = new ArrayList<>();
  private TestDatabase db;
  private UserPrefsStore store;

  abstract TestDatabase database(Path dir);

  @BeforeEach
  void open() {
    db = database(dir);
    store = new UserPrefsStore(open(db).dataSource(), clock);
  }

  @AfterEach
  void close() {
    opened.forEach(Database::close);
    db.close();
  }

  @Test
  void get_withNothingSaved_isNone() {
    assertThat(store.get("g1", "u1")).isEqualTo(UserPrefs.NONE);
  }

  @Test
  void put_thenGet_givesThemBack_perScopeAndUser() {
    store.put("g1", "u1", ALL);
    UserPrefs stepsOnly = new UserPrefs(Optional.empty(), Optional.empty(), OptionalInt.of(7));
    store.put("g2", "u1", stepsOnly);
    UserPrefs gridOnly =
        new UserPrefs(Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.of(1));
    store.put("g3", "u1", gridOnly);

    assertThat(store.get("g1", "u1")).isEqualTo(ALL);
    assertThat(store.get("g2", "u1")).isEqualTo(stepsOnly);
    assertThat(store.get("g3", "u1")).isEqualTo(gridOnly);
    assertThat(store.get("g1", "u2")).isEqualTo(UserPrefs.NONE);
  }

  @Test
  void put_again_replacesTheRow_andNoneRemovesIt() {
    store.put("g1", "u1", ALL);
    UserPrefs modelOnly =
        new UserPrefs(Optional.of("tiny-stylegan"), Optional.empty(), OptionalInt.empty());

    store.put("g1", "u1", modelOnly);

    assertThat(store.get("g1", "u1")).isEqualTo(modelOnly);
    assertThat(db.query("SELECT COUNT(*) FROM user_prefs")).containsExactly("1");
    assertThat(db.query("SELECT updated_at FROM user_prefs")).singleElement().isNotNull();

    store.put("g1", "u1", UserPrefs.NONE);

    assertThat(store.get("g1", "u1")).isEqualTo(UserPrefs.NONE);
    assertThat(db.query("SELECT COUNT(*) FROM user_prefs")).containsExactly("0");
  }

  @Test
  void savedDefaults_outliveARestart() {
    store.put("g1", "u1", ALL);
    opened.forEach(Database::close);

    UserPrefsStore restarted = new UserPrefsStore(open(db).dataSource(), clock);

    assertThat(restarted.get("g1", "u1")).isEqualTo(ALL);
  }

  @Test
  void aStrategyThisVersionDoesNotKnow_isDropped_theRestIsKept() {
    store.put("g1", "u1", ALL);
    db.execute("UPDATE user_prefs SET strategy = 'retired'");

    assertThat(store.get("g1", "u1"))
        .isEqualTo(
            new UserPrefs(
                Optional.of("tiny"), Optional.empty(), OptionalInt.of(50), OptionalInt.of(4)));
  }

  @Test
  void whileTheDatabaseIsGone_readsAndWritesFail_namingWhat() {
    db.cut();
    try {
      assertThatExceptionOfType(JobStoreException.class)
          .isThrownBy(() -> store.get("g1", "u1"))
          .withMessageStartingWith("cannot read the defaults of user u1 (");
      assertThatExceptionOfType(JobStoreException.class)
          .isThrownBy(() -> store.put("g1", "u1", ALL))
          .withMessageStartingWith("cannot save the defaults of user u1 (");
    } finally {
      db.restore();
    }
  }

  private Database open(TestDatabase test) {
    Database database = test.open();
    opened.add(database);
    return database;
  }
}
