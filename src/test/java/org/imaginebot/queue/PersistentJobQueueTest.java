package org.imaginebot.queue;

import org.imaginebot.testing.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.imaginebot.queue.Admission.Admitted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class PersistentJobQueueTest {

  private final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  private final QueueLimits limits = new QueueLimits(50, 5);
  private final String url = "jdbc:h2:mem:jobs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final JobStore store = JobStore.jdbc(url);
  private final List<JobStore> reopened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    reopened.forEach(JobStore::close);
    store.close();
  }

  private static Job offer(JobQueue queue, String user, String prompt) {
    return ((Admitted) queue.offer(user, "guild-1", Requests.prompt(prompt))).job();
  }

  /** A new queue on the same database, as after a crash of the process that held the old one. */
  private JobQueue restart() {
    JobStore again = JobStore.jdbc(url);
    reopened.add(again);
    return JobQueue.persistent(limits, clock, again);
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
}
