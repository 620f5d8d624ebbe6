package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.JobId;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Button references in the database: kept across restarts, until their time is up. */
final class ActionRefsTest {

  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  private final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  private TestDatabase db;
  private Database database;

  @BeforeEach
  void open() {
    db = TestDatabase.h2(dir);
    database = db.open();
  }

  private final List<ActionRefs> made = new ArrayList<>();

  @AfterEach
  void close() {
    made.forEach(ActionRefs::close); // their rows are stored before the database goes
    database.close();
  }

  private ActionRefs refs(Database on) {
    ActionRefs refs = new ActionRefs(on.dataSource(), WEEK, clock);
    made.add(refs);
    return refs;
  }

  @Test
  void remember_thenFindAfterARestart_givesTheSameRequest() {
    GenerationRequest request =
        CoreFixture.request("a lighthouse | oil painting:0.5", 40, 7).withVariation(3);
    String ref = refs(database).remember(request, CoreFixture.ALICE).orElseThrow();
    database.close();

    try (Database restarted = db.open()) {
      ActionRefs refs = refs(restarted);
      assertThat(refs.find(ref)).contains(request);
      assertThat(refs.entry(ref))
          .contains(new ActionRefs.Entry(request, "alice", "guild-1")); // who asked, for Delete
    }
  }

  @Test
  void entry_ofARowKeptBeforeRequestersWereRecorded_hasNoRequester() {
    GenerationRequest request = CoreFixture.request("old", 1, 1);
    String ref = refs(database).remember(request, CoreFixture.ALICE).orElseThrow();
    db.execute("UPDATE action_ref SET requester_id = NULL, scope_id = NULL"); // as V4 left it

    assertThat(refs(database).entry(ref)).contains(new ActionRefs.Entry(request, null, null));
  }

  @Test
  void find_afterTheTtl_isEmpty_andExpiredRowsAreDeletedLater() {
    ActionRefs refs = refs(database);
    String old = refs.remember(CoreFixture.request("old", 1, 1), CoreFixture.ALICE).orElseThrow();

    clock.advance(WEEK.minusSeconds(1));
    assertThat(refs.find(old)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(refs.find(old)).isEmpty();
    assertThat(refs.find("never-made")).isEmpty();

    clock.advance(Duration.ofHours(2));
    refs.remember(CoreFixture.request("new", 1, 2), CoreFixture.BOB);
    assertThat(db.query("SELECT COUNT(*) FROM action_ref")).containsExactly("1");
  }

  @Test
  void onDemand_storesNothingUntilAsked_thenOneRowWhateverTheAsks() {
    ActionRefs refs = refs(database);
    GenerationRequest request = CoreFixture.request("a refused or an accepted request", 5, 3);

    Supplier<String> never =
        refs.onDemand(request, CoreFixture.ALICE); // a refused request: never asked
    Supplier<String> ref = refs.onDemand(request, CoreFixture.ALICE);
    assertThat(db.query("SELECT COUNT(*) FROM action_ref")).containsExactly("0");

    String first = ref.get();
    assertThat(ref.get()).isEqualTo(first);
    assertThat(refs.find(first)).contains(request); // from memory until it is stored
    await("the row, stored in the background")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> db.query("SELECT COUNT(*) FROM action_ref"), rows -> rows.equals(List.of("1")));
    assertThat(refs.find(first)).contains(request);
    assertThat(never).isNotSameAs(ref);
  }

  @Test
  void madeBy_namesTheJobBehindTheRef_whetherBeforeOrAfterItIsStored() {
    ActionRefs refs = refs(database);
    GenerationRequest request = CoreFixture.request("a queued request", 5, 3);

    ActionRefs.Pending before = refs.onDemand(request, CoreFixture.ALICE);
    before.madeBy(new JobId("job-before"));
    ActionRefs.Pending after = refs.onDemand(request, CoreFixture.ALICE);
    String afterRef = after.get(); // the job finished before the adapter heard its id
    after.madeBy(new JobId("job-after"));
    ActionRefs.Pending cached = refs.onDemand(request, CoreFixture.ALICE);

    assertThat(refs.entry(before.get()).orElseThrow().jobId()).isEqualTo("job-before");
    assertThat(refs.entry(afterRef).orElseThrow().jobId()).isEqualTo("job-after");
    assertThat(refs.entry(cached.get()).orElseThrow().jobId()).isNull(); // a cache hit ran none
  }

  @Test
  void remember_whileTheDatabaseIsGone_isEmpty_soTheReplyGoesOutWithoutButtons() {
    ActionRefs refs = refs(database);
    db.cut();

    assertThat(refs.remember(CoreFixture.request("lost", 1, 1), CoreFixture.ALICE)).isEmpty();
    db.restore();
  }
}
