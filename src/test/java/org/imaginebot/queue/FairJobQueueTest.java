package org.imaginebot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Admission.Refused;
import org.imaginebot.testing.FakeClock;
import org.junit.jupiter.api.Test;

final class FairJobQueueTest {

  private final FakeClock clock = FakeClock.atEpochSecond(1_700_000_000L);
  private final JobQueue queue = JobQueue.inMemory(new QueueLimits(100, 60), clock);

  private Job offer(String user) {
    Admission admission = queue.offer(user, "guild-1", Requests.prompt("a lighthouse by " + user));
    assertThat(admission).isInstanceOf(Admitted.class);
    return ((Admitted) admission).job();
  }

  private String takeUser() {
    return queue.take().orElseThrow().userId();
  }

  @Test
  void offer_returnsQueuedJobWithClockTimeAndPosition() {
    Admission admission = queue.offer("alice", "guild-1", Requests.prompt("a lighthouse"));

    Admitted admitted = (Admitted) admission;
    assertThat(admitted.position()).isEqualTo(1);
    assertThat(admitted.job().state()).isEqualTo(JobState.QUEUED);
    assertThat(admitted.job().enqueuedAt()).isEqualTo(clock.instant());
    assertThat(admitted.job().id().value()).hasSize(10);
  }

  @Test
  void flood_doesNotDelayAnotherUsersFirstJob() {
    for (int i = 0; i < 50; i++) {
      offer("alice");
    }
    Admitted bob = (Admitted) queue.offer("bob", "guild-1", Requests.prompt("a cat"));

    assertThat(bob.position()).isEqualTo(2);
    assertThat(queue.position(bob.job().id())).isEqualTo(2);
    assertThat(takeUser()).isEqualTo("alice");
    assertThat(queue.take().orElseThrow().id()).isEqualTo(bob.job().id());
  }

  @Test
  void take_servesUsersRoundRobin() {
    Job a1 = offer("a");
    Job a2 = offer("a");
    Job a3 = offer("a");
    Job b1 = offer("b");
    Job b2 = offer("b");
    Job c1 = offer("c");

    List<Job> expected = List.of(a1, b1, c1, a2, b2, a3);
    assertThat(queue.snapshot()).containsExactlyElementsOf(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(queue.position(expected.get(i).id())).isEqualTo(i + 1);
    }
    for (Job job : expected) {
      assertThat(queue.take().orElseThrow().id()).isEqualTo(job.id());
    }
    assertThat(queue.take()).isEmpty();
  }

  @Test
  void take_userWhoEmptiedRejoinsAtTheBack() {
    offer("a");
    offer("b");
    offer("b");
    assertThat(takeUser()).isEqualTo("a");
    offer("a"); // a left the rotation when empty; comes back behind b

    assertThat(List.of(takeUser(), takeUser(), takeUser())).containsExactly("b", "a", "b");
  }

  @Test
  void offer_refusesBeyondPerUserCap() {
    queue.setLimits(new QueueLimits(50, 3));
    offer("alice");
    offer("alice");
    offer("alice");

    Admission admission = queue.offer("alice", "guild-1", Requests.prompt("one more"));

    assertThat(admission)
        .isEqualTo(
            new Refused(
                RefusalReason.USER_QUEUE_FULL,
                "You already have 3 images queued (the limit here); wait for one to finish."));
    assertThat(queue.offer("bob", "guild-1", Requests.prompt("x"))).isInstanceOf(Admitted.class);
  }

  @Test
  void offer_perUserCapCountsOnlyQueuedJobs() {
    queue.setLimits(new QueueLimits(50, 1));
    offer("alice");
    assertThat(((Refused) queue.offer("alice", "g", Requests.prompt("x"))).message())
        .isEqualTo("You already have 1 image queued (the limit here); wait for one to finish.");

    queue.take();

    assertThat(queue.offer("alice", "g", Requests.prompt("x"))).isInstanceOf(Admitted.class);
  }

  @Test
  void offer_refusesBeyondGlobalCap() {
    queue.setLimits(new QueueLimits(2, 5));
    offer("alice");
    offer("bob");

    Admission admission = queue.offer("carol", "guild-1", Requests.prompt("x"));

    assertThat(admission)
        .isEqualTo(
            new Refused(
                RefusalReason.QUEUE_FULL,
                "The queue is full (2 jobs); try again in a few minutes."));
  }

  @Test
  void setLimits_takesEffectOnTheNextOffer() {
    offer("alice");
    offer("alice");
    queue.setLimits(new QueueLimits(100, 2));
    assertThat(queue.offer("alice", "g", Requests.prompt("x"))).isInstanceOf(Refused.class);

    queue.setLimits(new QueueLimits(100, 3));

    assertThat(queue.offer("alice", "g", Requests.prompt("x"))).isInstanceOf(Admitted.class);
    assertThat(queue.limits()).isEqualTo(new QueueLimits(100, 3));
    assertThat(queue.snapshot()).hasSize(3); // lowering a cap never drops admitted jobs
  }

  @Test
  void position_updatesAsJobsAreTaken() {
    offer("a");
    offer("a");
    Job b1 = offer("b");
    Job a3 = offer("a");
    assertThat(queue.position(a3.id())).isEqualTo(4);

    Job first = queue.take().orElseThrow();

    assertThat(queue.position(first.id())).isZero();
    assertThat(queue.position(b1.id())).isEqualTo(1);
    assertThat(queue.position(a3.id())).isEqualTo(3);
    queue.take();
    assertThat(queue.position(a3.id())).isEqualTo(2);
    assertThat(queue.position(JobId.random())).isZero();
  }

  @Test
  void position_matchesTakeOrderUnderRandomWork() {
    queue.setLimits(new QueueLimits(10_000, 10_000));
    Random random = new Random(42);
    List<Job> live = new ArrayList<>();
    for (int step = 0; step < 2_000; step++) {
      int action = random.nextInt(10);
      if (action < 6) {
        live.add(offer("u" + random.nextInt(7)));
      } else if (action < 9) {
        queue.take().ifPresent(j -> live.removeIf(l -> l.id().equals(j.id())));
      } else if (!live.isEmpty()) {
        Job victim = live.remove(random.nextInt(live.size()));
        assertThat(queue.cancel(victim.id(), victim.userId(), false))
            .isEqualTo(CancelResult.CANCELLED_QUEUED);
      }
      if (step % 50 == 0) {
        List<Job> order = queue.snapshot();
        for (int i = 0; i < order.size(); i++) {
          assertThat(queue.position(order.get(i).id())).isEqualTo(i + 1);
        }
      }
    }
    List<Job> order = queue.snapshot();
    for (Job expected : order) {
      assertThat(queue.take().orElseThrow().id()).isEqualTo(expected.id());
    }
  }

  @Test
  void cancel_byOwnerRemovesQueuedJob() {
    Job job = offer("alice");
    Job other = offer("bob");

    assertThat(queue.cancel(job.id(), "alice", false)).isEqualTo(CancelResult.CANCELLED_QUEUED);

    assertThat(queue.snapshot()).containsExactly(other);
    assertThat(queue.position(other.id())).isEqualTo(1);
    assertThat(queue.cancel(job.id(), "alice", false)).isEqualTo(CancelResult.NOT_FOUND);
  }

  @Test
  void cancel_byModeratorWorksOnOthersJobs() {
    Job job = offer("alice");

    assertThat(queue.cancel(job.id(), "mod", true)).isEqualTo(CancelResult.CANCELLED_QUEUED);
    assertThat(queue.snapshot()).isEmpty();
  }

  @Test
  void cancel_refusedForOthers() {
    Job job = offer("alice");

    assertThat(queue.cancel(job.id(), "mallory", false)).isEqualTo(CancelResult.NOT_ALLOWED);

    assertThat(queue.snapshot()).containsExactly(job);
  }

  @Test
  void cancel_runningJobIsReportedAndCompleteThenIgnored() {
    offer("alice");
    Job running = queue.take().orElseThrow();
    assertThat(queue.cancel(running.id(), "mallory", false)).isEqualTo(CancelResult.NOT_ALLOWED);
    assertThat(queue.running()).containsExactly(running);

    assertThat(queue.cancel(running.id(), "alice", false))
        .isEqualTo(CancelResult.CANCELLED_RUNNING);

    assertThat(queue.running()).isEmpty();
    assertThat(queue.complete(running.id(), JobState.FAILED)).isFalse();
  }

  @Test
  void complete_endsRunningJobOnce() {
    offer("alice");
    Job running = queue.take().orElseThrow();
    assertThat(running.state()).isEqualTo(JobState.RUNNING);

    assertThat(queue.complete(running.id(), JobState.DONE)).isTrue();
    assertThat(queue.complete(running.id(), JobState.DONE)).isFalse();
    assertThat(queue.running()).isEmpty();
  }

  @Test
  void complete_rejectsQueuedJobsAndNonFinalStates() {
    Job job = offer("alice");

    assertThatIllegalStateException()
        .isThrownBy(() -> queue.complete(job.id(), JobState.DONE))
        .withMessageContaining("is queued, not running");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> queue.complete(job.id(), JobState.RUNNING))
        .withMessageContaining("got RUNNING");
  }

  @Test
  void pause_stopsTakeButNotOffersAndResumeRestarts() {
    offer("alice");
    queue.pause();

    assertThat(queue.isPaused()).isTrue();
    assertThat(queue.take()).isEmpty();
    assertThat(queue.offer("bob", "g", Requests.prompt("x"))).isInstanceOf(Admitted.class);
    assertThat(queue.snapshot()).hasSize(2);

    queue.resume();

    assertThat(queue.isPaused()).isFalse();
    assertThat(takeUser()).isEqualTo("alice");
  }

  @Test
  void take_withTimeoutReturnsNullWhenNothingComes() throws InterruptedException {
    assertThat(queue.take(Duration.ZERO)).isNull();
  }

  @Test
  void take_blocksUntilAJobIsOfferedFromAnotherThread() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<Job> taken =
          pool.submit(
              () -> {
                started.countDown();
                return queue.take(Duration.ofSeconds(30));
              });
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

      Job offered = offer("alice");

      assertThat(taken.get(5, TimeUnit.SECONDS).id()).isEqualTo(offered.id());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void take_blockedWhilePausedWakesOnResume() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      queue.pause();
      Job offered = offer("alice");
      Future<Job> taken = pool.submit(() -> queue.take(Duration.ofSeconds(30)));

      queue.resume();

      assertThat(taken.get(5, TimeUnit.SECONDS).id()).isEqualTo(offered.id());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void offer_rejectsBlankUser() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> queue.offer(" ", "g", Requests.prompt("x")))
        .withMessageContaining("userId may not be blank");
  }

  @Test
  void offer_withLowerCapForThisUser_refusesAtThatCap() {
    queue.offer("alice", "guild-1", Requests.prompt("one"), 2);
    queue.offer("alice", "guild-1", Requests.prompt("two"), 2);

    Admission third = queue.offer("alice", "guild-1", Requests.prompt("three"), 2);

    assertThat(third)
        .isInstanceOfSatisfying(
            Refused.class, r -> assertThat(r.reason()).isEqualTo(RefusalReason.USER_QUEUE_FULL));
    assertThat(queue.offer("alice", "guild-1", Requests.prompt("three"), 3))
        .isInstanceOf(Admitted.class);
  }

  @Test
  void takeEligible_skipsUsersWhoseNextJobIsNotEligible_andKeepsTheirOrder()
      throws InterruptedException {
    queue.offer("alice", "busy-guild", Requests.prompt("a1"));
    queue.offer("alice", "free-guild", Requests.prompt("a2"));
    queue.offer("bob", "free-guild", Requests.prompt("b1"));

    Job taken = queue.take(Duration.ZERO, job -> !job.scopeId().equals("busy-guild"));

    // Alice's second job may not overtake her first, so Bob's job runs.
    assertThat(taken.userId()).isEqualTo("bob");
    assertThat(queue.take(Duration.ZERO, job -> !job.scopeId().equals("busy-guild"))).isNull();
    assertThat(queue.snapshot())
        .extracting(j -> j.request().prompts().get(0).text())
        .containsExactly("a1", "a2");
  }

  @Test
  void recheck_wakesATakerWhoseJobBecameEligible() throws Exception {
    queue.offer("alice", "guild-1", Requests.prompt("a1"));
    java.util.concurrent.atomic.AtomicBoolean open =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.atomic.AtomicInteger checks =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<Thread> takerThread =
          new java.util.concurrent.atomic.AtomicReference<>();
      Future<Job> taker =
          pool.submit(
              () -> {
                takerThread.set(Thread.currentThread());
                return queue.take(
                    Duration.ofSeconds(10),
                    job -> {
                      checks.incrementAndGet();
                      return open.get();
                    });
              });
      // The taker has seen the job as not eligible and is parked, waiting for a signal.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  checks.get() > 0
                      && takerThread.get() != null
                      && takerThread.get().getState() == Thread.State.TIMED_WAITING);
      assertThat(taker).isNotDone();

      open.set(true);
      queue.recheck();

      assertThat(taker.get(5, TimeUnit.SECONDS).userId()).isEqualTo("alice");
    } finally {
      pool.shutdownNow();
    }
  }
}
