package org.imaginebot.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.JobId;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daily image quotas counted in a real database (H2 and PostgreSQL), with a driven clock. */
abstract class DailyQuotasContract {

  private static final LocalTime RESET = LocalTime.of(6, 30);

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T05:00:00Z"));
  private final List<Database> opened = new ArrayList<>();
  private TestDatabase db;
  private Database database;

  abstract TestDatabase database(Path dir);

  @BeforeEach
  void open() {
    db = database(dir);
    database = open(db);
  }

  @AfterEach
  void close() {
    opened.forEach(Database::close);
    db.close();
  }

  @Test
  void noLimit_countsNothing() throws Exception {
    DailyQuotas quotas = quotas(database);
    for (int i = 0; i < 5; i++) {
      admit(quotas.tryCount("g1", "u1", 0, () -> false));
    }
    assertThat(quotas.usedToday("g1", "u1")).isZero();
    assertThat(db.query("SELECT COUNT(*) FROM quota_usage")).containsExactly("0");
  }

  @Test
  void theLimitRefusesTheNextImage_sayingWhenItStartsAgain_andOnlyThenAsksIfTheUserIsExempt()
      throws Exception {
    DailyQuotas quotas = quotas(database);
    AtomicInteger asked = new AtomicInteger();
    admit(quotas.tryCount("g1", "u1", 2, () -> asked.incrementAndGet() > 0));
    admit(quotas.tryCount("g1", "u1", 2, () -> asked.incrementAndGet() > 0));
    assertThat(asked).hasValue(0);

    DailyQuotas.Counted third = quotas.tryCount("g1", "u1", 2, () -> false);

    assertThat(third.use()).isNull();
    assertThat(third.refusal().kind()).isEqualTo(RefusalKind.DAILY_QUOTA);
    assertThat(third.refusal().message())
        .contains("2 images for today here", "starts again at 06:30 UTC, in 1 h 30 min");
    assertThat(third.refusal().retryAfter()).isEqualTo(Duration.ofMinutes(90));
    // Another user and another server keep their own counts.
    assertThat(quotas.tryCount("g1", "u2", 2, () -> false).refusal()).isNull();
    assertThat(quotas.tryCount("g2", "u1", 2, () -> false).refusal()).isNull();
    // A moderator is exempt: asked only now, at the limit.
    DailyQuotas.Counted moderator =
        quotas.tryCount("g1", "u1", 2, () -> asked.incrementAndGet() > 0);
    assertThat(moderator.refusal()).isNull();
    assertThat(asked).hasValue(1);
  }

  @Test
  void countsAreStoredWithTheJob_soARestartForgetsNothing_butAGivenBackImageIsNotCounted()
      throws Exception {
    DailyQuotas quotas = quotas(database);
    admit(quotas.tryCount("g1", "u1", 2, () -> false));
    DailyQuotas.Counted refusedByTheQueue = quotas.tryCount("g1", "u1", 2, () -> false);
    refusedByTheQueue.use().giveBack(); // its attachment never ran
    refusedByTheQueue.use().giveBack(); // twice is once
    assertThat(quotas.usedToday("g1", "u1")).isEqualTo(1);
    admit(quotas.tryCount("g1", "u1", 2, () -> false));
    database.close();

    Database restarted = open(db);
    DailyQuotas again = quotas(restarted);

    assertThat(again.usedToday("g1", "u1")).isEqualTo(2);
    assertThat(again.tryCount("g1", "u1", 2, () -> false).refusal()).isNotNull();
  }

  /** A cluster's queue refused the job after it was stored: the withdrawal takes the count back. */
  @Test
  void aJobWithdrawnAfterItWasStoredIsNotCounted_evenAfterARestart() throws Exception {
    DailyQuotas quotas = quotas(database);
    admit(quotas.tryCount("g1", "u1", 2, () -> false));
    DailyQuotas.Counted withdrawn = quotas.tryCount("g1", "u1", 2, () -> false);
    JobId job = JobId.random();
    try (Connection connection = database.dataSource().getConnection()) {
      withdrawn.use().attachment().store(connection, job);
      withdrawn.use().attachment().withdraw(connection, job);
    }
    withdrawn.use().giveBack();
    assertThat(quotas.usedToday("g1", "u1")).isEqualTo(1);
    database.close();

    assertThat(quotas(open(db)).usedToday("g1", "u1")).isEqualTo(1);
  }

  @Test
  void aNewDayStartsAtTheResetTime_notAtMidnight() throws Exception {
    DailyQuotas quotas = quotas(database);
    admit(quotas.tryCount("g1", "u1", 1, () -> false)); // 05:00: still the day that began Apr 30
    clock.advance(Duration.ofMinutes(89)); // 06:29
    assertThat(quotas.tryCount("g1", "u1", 1, () -> false).refusal()).isNotNull();

    clock.advance(Duration.ofMinutes(1)); // 06:30

    assertThat(quotas.usedToday("g1", "u1")).isZero();
    assertThat(quotas.nextReset()).isEqualTo(Instant.parse("2024-05-02T06:30:00Z"));
    admit(quotas.tryCount("g1", "u1", 1, () -> false));
    assertThat(db.query("SELECT COUNT(*) FROM quota_usage")).containsExactly("2"); // one row a day
  }

  private DailyQuotas quotas(Database on) {
    return new DailyQuotas(on.dataSource(), clock, RESET);
  }

  private Database open(TestDatabase test) {
    Database opened = test.open();
    this.opened.add(opened);
    return opened;
  }

  /** What the queue does with an admitted job: the use's rows in one committed transaction. */
  private void admit(DailyQuotas.Counted counted) throws SQLException {
    assertThat(counted.refusal()).isNull();
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      counted.use().attachment().store(connection, JobId.random());
      connection.commit();
    }
  }
}
