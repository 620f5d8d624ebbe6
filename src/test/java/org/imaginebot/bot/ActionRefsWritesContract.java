package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.FakeClock;
import org.imaginebot.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Button references are handed out at once and stored in the background: a reply does not wait for
 * the database, and the row still lands (H2 and PostgreSQL run the same cases).
 */
abstract class ActionRefsWritesContract {

  static final Duration WEEK = Duration.ofDays(7);
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Short, so a retry comes soon after the database is back. */
  static final Duration FIRST_RETRY = Duration.ofMillis(20);

  @TempDir Path dir;

  final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  final List<Database> opened = new ArrayList<>();
  TestDatabase db;
  ActionRefs refs;

  abstract TestDatabase database(Path dir);

  /** Holds writes to {@code action_ref} until closed, as a long commit or a lock would. */
  interface Block extends AutoCloseable {}

  abstract Block blockWrites() throws Exception;

  @BeforeEach
  void open() {
    db = database(dir);
    refs = new ActionRefs(open(db).dataSource(), WEEK, clock, FIRST_RETRY);
  }

  @AfterEach
  void close() {
    refs.close();
    opened.forEach(Database::close);
    db.close();
  }

  Database open(TestDatabase database) {
    Database opened = database.open();
    this.opened.add(opened);
    return opened;
  }

  @Test
  void aRef_isHandedOutAndReadable_whileWritesAreBlocked_andItsRowLandsAfter() throws Exception {
    GenerationRequest request = CoreFixture.request("a lighthouse while the table is held", 5, 3);
    String ref;
    try (Block block = blockWrites()) {
      ref = refs.onDemand(request, CoreFixture.ALICE).get(); // would wait here before

      assertThat(ref).isNotNull();
      assertThat(refs.entry(ref)) // a button pressed at once: answered from memory
          .contains(new ActionRefs.Entry(request, "alice", "guild-1"));
    }

    await("the row behind " + ref)
        .atMost(WAIT)
        .until(
            () -> db.query("SELECT requester_id FROM action_ref WHERE ref = '" + ref + "'"),
            rows -> rows.equals(List.of("alice")));
    assertThat(refs.find(ref)).contains(request);
  }

  @Test
  void aRef_isHandedOut_whileTheDatabaseIsGone_andItsRowLandsOnceItIsBack() {
    GenerationRequest request = CoreFixture.request("a lighthouse in an outage", 5, 4);
    try (LogCapture log = LogCapture.of(RefWriter.class)) {
      db.cut();
      ActionRefs.Pending pending = refs.onDemand(request, CoreFixture.BOB);
      String ref = pending.get();
      pending.madeBy(new JobId("job-in-outage")); // heard after the reply: noted with the row

      assertThat(ref).isNotNull();
      assertThat(refs.entry(ref).orElseThrow().requesterId()).isEqualTo("bob");
      await("a failed write, logged")
          .atMost(WAIT)
          .until(() -> log.all().stream().anyMatch(l -> l.startsWith("storing 1 button")));
      db.restore();

      await("the row behind " + ref + ", with its job")
          .atMost(WAIT)
          .until(
              () -> db.query("SELECT job_id FROM action_ref WHERE ref = '" + ref + "'"),
              rows -> rows.equals(List.of("job-in-outage")));
    }
  }

  @Test
  void aRetry_afterACommitWhoseAnswerWasLost_storesTheRowOnce() {
    ActionRefs slow = new ActionRefs(opened.get(0).dataSource(), WEEK, clock, Duration.ofHours(1));
    GenerationRequest request = CoreFixture.request("a lighthouse stored twice?", 5, 5);
    try (LogCapture log = LogCapture.of(RefWriter.class)) {
      db.cut();
      String ref = slow.onDemand(request, CoreFixture.ALICE).get();
      await("a failed write, logged")
          .atMost(WAIT)
          .until(() -> log.all().stream().anyMatch(l -> l.startsWith("storing 1 button")));
      db.restore();
      // As if that write had committed and only its answer was lost on the way back.
      db.execute(
          "INSERT INTO action_ref (ref, request_json, expires_at, requester_id, scope_id)"
              + " VALUES ('"
              + ref
              + "', '{}', TIMESTAMP WITH TIME ZONE '2100-01-01 00:00:00+00', 'alice', 'guild-1')");

      slow.close(); // tries again at once rather than in an hour

      assertThat(db.query("SELECT COUNT(*) FROM action_ref WHERE ref = '" + ref + "'"))
          .containsExactly("1");
      assertThat(log.errors()).as("nothing lost").isEmpty();
    }
  }

  @Test
  void close_storesTheRowsHandedOverBeforeIt() {
    List<String> handed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      handed.add(
          refs.onDemand(CoreFixture.request("a lighthouse " + i, 5, i), CoreFixture.ALICE).get());
    }

    refs.close();

    assertThat(db.query("SELECT ref FROM action_ref")).containsExactlyInAnyOrderElementsOf(handed);
  }

  @Test
  void madeBy_afterTheRowIsStored_notesTheJobThere() {
    ActionRefs.Pending pending =
        refs.onDemand(CoreFixture.request("a fast job", 5, 6), CoreFixture.ALICE);
    String ref = pending.get(); // the job ended before the adapter heard its id
    await("the row").atMost(WAIT).until(() -> !db.query(countOf(ref)).equals(List.of("0")));

    pending.madeBy(new JobId("job-fast"));

    await("its job")
        .atMost(WAIT)
        .until(
            () -> db.query("SELECT job_id FROM action_ref WHERE ref = '" + ref + "'"),
            rows -> rows.equals(List.of("job-fast")));
    assertThat(refs.entry(ref).orElseThrow().jobId()).isEqualTo("job-fast");
  }

  private static String countOf(String ref) {
    return "SELECT COUNT(*) FROM action_ref WHERE ref = '" + ref + "'";
  }
}
