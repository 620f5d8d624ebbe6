package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Admission.Refused;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent queue on a real database: restarts, and what happens when the database goes away
 * under it. Runs on H2 ({@link PersistentJobQueueOnH2Test}) and PostgreSQL ({@link
 * PersistentJobQueueOnPostgresTest}).
 */
abstract class PersistentJobQueueContract {

  @TempDir Path dir;

  private final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  private final QueueLimits limits = new QueueLimits(50, 5);
  private final List<Database> opened = new ArrayList<>();
  private TestDatabase db;
  private Database database;
  private JobStore store;

  abstract TestDatabase database(Path dir);

  @BeforeEach
  void openDatabase() {
    db = database(dir);
    database = open();
    store = JobStore.jdbc(database.dataSource());
  }

  /** Brings the database back and waits for the pool to reconnect (it backs off on its own). */
  private void restore() {
    db.restore();
    await().atMost(Duration.ofSeconds(20)).until(() -> database.probe().up());
  }

  @AfterEach
  void closeDatabase() {
    opened.forEach(Database::close);
    db.close();
  }

  private Database open() {
    Database database = db.open();
    opened.add(database);
    return database;
  }

  private static Job offer(JobQueue queue, String user, String prompt) {
    return ((Admitted) queue.offer(user, "guild-1", Requests.prompt(prompt))).job();
  }

  /**
   * A new queue on a new pool on the same database, as after a crash of the process that held the
   * old one.
   */
  private JobQueue restart() {
    return JobQueue.persistent(limits, clock, JobStore.jdbc(open().dataSource()));
  }

  @Test
  void restart_reloadsQueuedJobsWithTheRunningOneFirstForItsUser() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    Job a1 = offer(queue, "alice", "one");
    clock.advance(Duration.ofSeconds(1));
    Job a2 = offer(queue, "alice", "two");
    Job b1 = offer(queue, "bob", "three");
    assertThat(queue.take().orElseThrow().id()).isEqualTo(a1.id());

    JobQueue reloaded = restart();

    assertThat(reloaded.snapshot()).containsExactly(a1, b1, a2); // a1 back to QUEUED, at the front
    assertThat(reloaded.running()).isEmpty();
    assertThat(reloaded.take().orElseThrow().id()).isEqualTo(a1.id());
  }

  @Test
  void restart_keepsRequestsAndTimesExactly() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    Job job = offer(queue, "alice", "a lighthouse in a storm");

    assertThat(restart().snapshot()).containsExactly(job);
  }

  @Test
  void restart_skipsCancelledDoneAndFailedJobs() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    Job cancelled = offer(queue, "alice", "cancelled");
    offer(queue, "bob", "done");
    offer(queue, "carol", "failed");
    Job kept = offer(queue, "dave", "kept");
    queue.cancel(cancelled.id(), "alice", false);
    queue.complete(queue.take().orElseThrow().id(), JobState.DONE);
    queue.complete(queue.take().orElseThrow().id(), JobState.FAILED);

    assertThat(restart().snapshot()).containsExactly(kept);
  }

  @Test
  void restart_cancelledRunningJobIsNotReloaded() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    offer(queue, "alice", "x");
    Job running = queue.take().orElseThrow();
    queue.cancel(running.id(), "mod", true);

    assertThat(restart().snapshot()).isEmpty();
  }

  @Test
  void restart_newJobsQueueBehindReloadedOnesAcrossRestarts() {
    JobQueue first = JobQueue.persistent(limits, clock, store);
    Job a1 = offer(first, "alice", "one");
    JobQueue second = restart();
    Job a2 = offer(second, "alice", "two");

    List<Job> third = restart().snapshot();

    assertThat(third).containsExactly(a1, a2);
  }

  @Test
  void store_recordsEveryStateChange() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    offer(queue, "alice", "x");
    Job running = queue.take().orElseThrow();
    assertThat(store.loadUnfinished()).extracting(Job::state).containsExactly(JobState.RUNNING);

    queue.complete(running.id(), JobState.DONE);

    assertThat(store.loadUnfinished()).isEmpty();
    assertThat(store.maxSeq()).isEqualTo(1);
  }

  @Test
  void store_neverOverwritesAFinalState() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    Job job = offer(queue, "alice", "x");
    queue.complete(queue.take().orElseThrow().id(), JobState.DONE);

    store.updateState(job.id(), JobState.RUNNING); // a late retry of the older change

    assertThat(store.loadUnfinished()).isEmpty();
  }

  @Test
  void offer_whileTheDatabaseIsGone_isRefusedAndLeavesNothingBehind() {
    JobQueue queue = JobQueue.persistent(new QueueLimits(50, 1), clock, store);
    db.cut();

    Admission admission = queue.offer("alice", "guild-1", Requests.prompt("lost?"));
    Admission again = queue.offer("alice", "guild-1", Requests.prompt("lost again?"));

    assertThat(admission)
        .isInstanceOfSatisfying(
            Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE);
              assertThat(r.message())
                  .contains("cannot save jobs right now", "nothing was queued", "try again");
            });
    // the refused job gave its place back: the cap of 1 is not used up by a ghost
    assertThat(again)
        .isInstanceOfSatisfying(
            Refused.class, r -> assertThat(r.reason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE));
    assertThat(queue.snapshot()).isEmpty();
    assertThat(queue.take()).isEmpty();

    restore();
    Job stored = offer(queue, "alice", "back");

    assertThat(restart().snapshot()).containsExactly(stored);
  }

  @Test
  void finish_whileTheDatabaseIsGone_isStoredOnceItIsBack() {
    JobQueue queue = JobQueue.persistent(limits, clock, store);
    offer(queue, "alice", "x");
    Job running = queue.take().orElseThrow();
    db.cut();

    assertThat(queue.complete(running.id(), JobState.DONE)).isTrue(); // the queue goes on in memory
    assertThat(queue.running()).isEmpty();
    restore();

    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(store.loadUnfinished()).isEmpty());
  }

  @Test
  void concurrentOffers_everyAdmittedJobIsStoredInAdmissionOrderPerUser() throws Exception {
    JobQueue queue = JobQueue.persistent(new QueueLimits(10_000, 1_000), clock, store);
    int producers = 8;
    int each = 150;
    List<Job> admitted = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        String user = "user-" + (p % 4); // two producers per user: their jobs interleave
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    admitted.add(offer(queue, user, "job " + i));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<Job> reloaded = restart().snapshot();

    assertThat(reloaded).hasSize(producers * each).containsExactlyInAnyOrderElementsOf(admitted);
    assertThat(restart().snapshot())
        .as("the reloaded order is the live order")
        .isEqualTo(queue.snapshot());
  }
}
