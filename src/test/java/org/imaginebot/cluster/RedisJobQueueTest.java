package org.imaginebot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.db.Database;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.queue.Admission;
import org.imaginebot.queue.Admission.Admitted;
import org.imaginebot.queue.Admission.Refused;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.Job;
import org.imaginebot.queue.JobId;
import org.imaginebot.queue.JobState;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;
import org.imaginebot.queue.RefusalReason;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared queue on the real Redis and an H2 job store: what several nodes see together. */
class RedisJobQueueTest {

  @TempDir Path dir;
  private TestRedis testRedis;
  private TestDatabase testDb;
  private Database database;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() {
    testRedis = TestRedis.local();
    testDb = TestDatabase.h2(dir);
    database = testDb.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    java.util.Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
    database.close();
    testDb.close();
    testRedis.close();
  }

  private JobStore store() {
    return JobStore.jdbc(database.dataSource());
  }

  private RedisJobQueue node(String name, Duration lease, QueueLimits limits) {
    Redis redis = Redis.connect(testRedis.config(name));
    RedisJobQueue queue =
        new RedisJobQueue(redis, store(), limits, Clock.systemUTC(), lease, () -> 1, 1);
    open.add(redis);
    open.add(queue);
    return queue;
  }

  private RedisJobQueue node(String name) {
    return node(name, Duration.ofSeconds(30), new QueueLimits(100, 10));
  }

  private static GenerationRequest prompt(String text) {
    return new GenerationRequest(
        List.of(new WeightedPrompt(text, 1.0)), "tiny", Strategy.ADAM, 5, 7);
  }

  private static Job admitted(Admission admission) {
    assertThat(admission).isInstanceOf(Admitted.class);
    return ((Admitted) admission).job();
  }

  @Test
  void roundRobinAcrossUsersHoldsAcrossNodes() throws InterruptedException {
    RedisJobQueue bot = node("bot");
    RedisJobQueue w1 = node("w1");
    RedisJobQueue w2 = node("w2");
    Job a1 = admitted(bot.offer("alice", "g", prompt("a1")));
    Job a2 = admitted(bot.offer("alice", "g", prompt("a2")));
    Job a3 = admitted(bot.offer("alice", "g", prompt("a3")));
    Admission b1 = bot.offer("bob", "g", prompt("b1"));
    assertThat(((Admitted) b1).position())
        .as("bob's first job goes after alice's first")
        .isEqualTo(2);
    assertThat(w1.snapshot())
        .extracting(Job::id)
        .containsExactly(a1.id(), ((Admitted) b1).job().id(), a2.id(), a3.id());
    assertThat(bot.position(a3.id())).isEqualTo(4);

    List<JobId> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RedisJobQueue taker = i % 2 == 0 ? w1 : w2;
      Job job = taker.take(Duration.ofSeconds(2), j -> true);
      order.add(job.id());
      assertThat(taker.complete(job.id(), JobState.DONE)).isTrue();
    }
    assertThat(order).containsExactly(a1.id(), ((Admitted) b1).job().id(), a2.id(), a3.id());
    assertThat(store().loadUnfinished()).isEmpty();
  }

  @Test
  void capsHoldAcrossNodesAndARefusalStoresNothing() {
    RedisJobQueue one = node("one", Duration.ofSeconds(30), new QueueLimits(3, 2));
    RedisJobQueue two = node("two", Duration.ofSeconds(30), new QueueLimits(3, 2));
    admitted(one.offer("alice", "g", prompt("1")));
    admitted(two.offer("alice", "g", prompt("2")));
    Admission third = one.offer("alice", "g", prompt("3"));
    assertThat(third).isInstanceOf(Refused.class);
    assertThat(((Refused) third).reason()).isEqualTo(RefusalReason.USER_QUEUE_FULL);
    assertThat(((Refused) third).message()).contains("You already have 2 images queued");
    admitted(two.offer("bob", "g", prompt("b")));
    Admission full = one.offer("carol", "g", prompt("c"));
    assertThat(((Refused) full).reason()).isEqualTo(RefusalReason.QUEUE_FULL);
    assertThat(((Refused) full).message()).contains("The queue is full (3 jobs)");
    assertThat(store().loadUnfinished()).hasSize(3);
    assertThat(testDb.query("SELECT COUNT(*) FROM jobs"))
        .as("no row for a refusal")
        .containsExactly("3");
  }

  /**
   * A node that has not seen a user near the cap stores the job before Redis checks the caps; when
   * another node took the last place, the job and its rows are withdrawn. A node that has seen the
   * user at the cap refuses before storing anything.
   */
  @Test
  void aJobRefusedAfterItWasStoredIsWithdrawnWithItsRows() {
    RedisJobQueue one = node("one", Duration.ofSeconds(30), new QueueLimits(100, 2));
    RedisJobQueue two = node("two", Duration.ofSeconds(30), new QueueLimits(100, 2));
    admitted(one.offer("alice", "g", prompt("1")));
    admitted(one.offer("alice", "g", prompt("2")));
    ReplyRow row = new ReplyRow();

    Admission late = two.offer("alice", "g", prompt("3"), 2, row);

    assertThat(((Refused) late).reason()).isEqualTo(RefusalReason.USER_QUEUE_FULL);
    assertThat(row.stored).as("stored first: two had not seen alice").isEqualTo(1);
    assertThat(row.withdrawn).isEqualTo(1);
    assertThat(testDb.query("SELECT COUNT(*) FROM job_reply")).containsExactly("0");
    assertThat(testDb.query("SELECT COUNT(*) FROM jobs")).containsExactly("2");

    ReplyRow early = new ReplyRow();
    assertThat(one.offer("alice", "g", prompt("4"), 2, early)).isInstanceOf(Refused.class);
    assertThat(two.offer("alice", "g", prompt("5"), 2, early)).isInstanceOf(Refused.class);
    assertThat(early.stored).as("both have seen alice at her cap now").isZero();
    assertThat(testDb.query("SELECT COUNT(*) FROM jobs")).containsExactly("2");
  }

  /** Redis gone after the job was stored: the request is refused and nothing of it stays. */
  @Test
  void aJobStoredWhenRedisIsGoneIsWithdrawn() throws Exception {
    try (RedisServer server = RedisServer.start(dir)) {
      Redis redis = Redis.connect(new RedisConfig(server.url(), "t:", "solo"));
      open.add(redis);
      RedisJobQueue queue =
          new RedisJobQueue(
              redis,
              store(),
              new QueueLimits(100, 10),
              Clock.systemUTC(),
              Duration.ofSeconds(30),
              () -> 1,
              1);
      open.add(queue);
      server.stop();
      ReplyRow row = new ReplyRow();

      Admission refused = queue.offer("alice", "g", prompt("1"), 10, row);

      assertThat(((Refused) refused).reason()).isEqualTo(RefusalReason.STORE_UNAVAILABLE);
      assertThat(row.stored).as("no hint for alice: stored before Redis was asked").isEqualTo(1);
      assertThat(row.withdrawn).isEqualTo(1);
      assertThat(testDb.query("SELECT COUNT(*) FROM jobs")).containsExactly("0");
      assertThat(testDb.query("SELECT COUNT(*) FROM job_reply")).containsExactly("0");
    }
  }

  /** A reply address row, as the bot stores with each job, counting what the queue did with it. */
  private static final class ReplyRow implements org.imaginebot.queue.JobAttachment {
    int stored;
    int withdrawn;

    @Override
    public void store(java.sql.Connection connection, JobId job) throws java.sql.SQLException {
      stored++;
      try (java.sql.PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO job_reply (job_id, user_id, scope_id, channel_id, source)"
                  + " VALUES (?, 'alice', 'g', 'c', 'test')")) {
        insert.setString(1, job.value());
        insert.executeUpdate();
      }
    }

    @Override
    public void withdraw(java.sql.Connection connection, JobId job) throws java.sql.SQLException {
      withdrawn++;
      try (java.sql.PreparedStatement delete =
          connection.prepareStatement("DELETE FROM job_reply WHERE job_id = ?")) {
        delete.setString(1, job.value());
        delete.executeUpdate();
      }
    }
  }

  @Test
  void aSecondFinisherIsToldItWasNotFirst() throws InterruptedException {
    RedisJobQueue w1 = node("w1");
    Job job = admitted(w1.offer("alice", "g", prompt("x")));
    Job taken = w1.take(Duration.ofSeconds(2), j -> true);
    assertThat(taken.id()).isEqualTo(job.id());
    assertThat(w1.running()).extracting(Job::id).containsExactly(job.id());
    assertThat(w1.complete(job.id(), JobState.DONE)).isTrue();
    assertThat(w1.complete(job.id(), JobState.DONE)).isFalse();
    assertThat(w1.running()).isEmpty();
  }

  @Test
  void aJobWhoseWorkerFellSilentIsTakenOverAfterTheLease() throws Exception {
    Duration lease = Duration.ofSeconds(1);
    RedisJobQueue dying = node("dying", lease, new QueueLimits(100, 10));
    RedisJobQueue healthy = node("healthy", lease, new QueueLimits(100, 10));
    Job job = admitted(dying.offer("alice", "g", prompt("x")));
    assertThat(dying.take(Duration.ofSeconds(2), j -> true).id()).isEqualTo(job.id());
    dying.close(); // heartbeats stop, as when the process is killed
    long start = System.nanoTime();
    Job[] took = new Job[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> (took[0] = healthy.take(Duration.ofMillis(200), j -> true)) != null);
    Duration after = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took[0].id()).isEqualTo(job.id());
    assertThat(after)
        .isGreaterThanOrEqualTo(Duration.ofMillis(900))
        .isLessThan(lease.plusSeconds(5));
    assertThat(healthy.complete(job.id(), JobState.DONE)).isTrue();
    assertThat(dying.complete(job.id(), JobState.DONE))
        .as("the first worker wakes up late")
        .isFalse();
  }

  /** A beat that races the job's end must not report a takeover that never happened. */
  @Test
  void aBeatForAJobThatJustEndedReportsNothingLost_butATakenOverOneIsReported() throws Exception {
    Duration lease = Duration.ofSeconds(1);
    RedisJobQueue w1 = node("w1", lease, new QueueLimits(100, 10));
    RedisJobQueue w2 = node("w2", lease, new QueueLimits(100, 10));
    Job ended = admitted(w1.offer("alice", "g", prompt("ends")));
    w1.take(Duration.ofSeconds(2), j -> true);
    List<String> onTheWay = w1.runningEntries();
    assertThat(w1.complete(ended.id(), JobState.DONE)).isTrue();
    assertThat(w1.beat(onTheWay)).as("ended, not taken over").isEmpty();

    Job stolen = admitted(w1.offer("bob", "g", prompt("stolen")));
    w1.take(Duration.ofSeconds(2), j -> true);
    w1.close(); // silent past the lease
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> w2.take(Duration.ofMillis(200), j -> true) != null);
    assertThat(w1.beat(w1.runningEntries())).as(stolen.id() + " taken over").hasSize(1);
  }

  @Test
  void heartbeatsKeepALongJobWithItsWorker() throws Exception {
    Duration lease = Duration.ofSeconds(1);
    RedisJobQueue worker = node("worker", lease, new QueueLimits(100, 10));
    RedisJobQueue other = node("other", lease, new QueueLimits(100, 10));
    Job job = admitted(worker.offer("alice", "g", prompt("x")));
    worker.take(Duration.ofSeconds(2), j -> true);
    long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
    while (System.nanoTime() < until) { // three leases long, polling like an idle worker
      assertThat(other.take(Duration.ofMillis(250), j -> true)).isNull();
    }
    assertThat(worker.complete(job.id(), JobState.DONE)).isTrue();
  }

  @Test
  void cancelRemovesAWaitingJobAndFlagsARunningOne() throws InterruptedException {
    RedisJobQueue q = node("q");
    Job first = admitted(q.offer("alice", "g", prompt("1")));
    Job second = admitted(q.offer("alice", "g", prompt("2")));
    assertThat(q.cancel(second.id(), "mallory", false)).isEqualTo(CancelResult.NOT_ALLOWED);
    assertThat(q.cancel(second.id(), "alice", false)).isEqualTo(CancelResult.CANCELLED_QUEUED);
    assertThat(q.snapshot()).extracting(Job::id).containsExactly(first.id());
    q.take(Duration.ofSeconds(2), j -> true);
    assertThat(q.cancel(first.id(), "mod", true)).isEqualTo(CancelResult.CANCELLED_RUNNING);
    assertThat(q.complete(first.id(), JobState.CANCELLED)).isTrue();
    assertThat(q.cancel(new JobId("nosuchjob"), "alice", true)).isEqualTo(CancelResult.NOT_FOUND);
  }

  @Test
  void pausedScopesAndGlobalPauseHoldJobsOnEveryNode() throws InterruptedException {
    RedisJobQueue bot = node("bot");
    RedisJobQueue worker = node("worker");
    RedisScopePauses pauses = new RedisScopePauses(Redis.connect(testRedis.config("mod")));
    admitted(bot.offer("alice", "g1", prompt("1")));
    Job other = admitted(bot.offer("bob", "g2", prompt("2")));
    pauses.pause("g1");
    assertThat(worker.take(Duration.ofMillis(300), j -> true).id()).isEqualTo(other.id());
    assertThat(worker.take(Duration.ofMillis(300), j -> true)).isNull();
    pauses.resume("g1");
    bot.pause();
    assertThat(worker.isPaused()).isTrue();
    assertThat(worker.take(Duration.ofMillis(300), j -> true)).isNull();
    bot.resume();
    assertThat(worker.take(Duration.ofSeconds(2), j -> true)).isNotNull();
  }

  @Test
  void jobsLostWithRedisComeBackFromTheDatabase() throws InterruptedException {
    RedisJobQueue bot = node("bot");
    Job a = admitted(bot.offer("alice", "g", prompt("1")));
    Job b = admitted(bot.offer("bob", "g", prompt("2")));
    testRedis.wipe(); // Redis restarted without persistence
    RedisJobQueue worker = node("worker");
    List<JobId> ran = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Job job = worker.take(Duration.ofMillis(200), j -> true);
              if (job != null) {
                ran.add(job.id());
                worker.complete(job.id(), JobState.DONE);
              }
              assertThat(ran).containsExactly(a.id(), b.id());
            });
  }

  @Test
  void aFloodDelaysOtherUsersByOneTurnAcrossTwoWorkers() throws Exception {
    RedisJobQueue bot = node("bot", Duration.ofSeconds(30), new QueueLimits(100, 50));
    RedisJobQueue w1 = node("w1");
    RedisJobQueue w2 = node("w2");
    for (int i = 0; i < 20; i++) {
      admitted(bot.offer("flooder", "g", prompt("flood " + i)));
    }
    List<String> others = List.of("u1", "u2", "u3", "u4");
    for (String user : others) {
      admitted(bot.offer(user, "g", prompt(user)));
    }
    List<String> takenBy = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (RedisJobQueue worker : List.of(w1, w2)) {
        two.submit(
            () -> {
              Job job;
              while ((job = worker.take(Duration.ofMillis(300), j -> true)) != null) {
                takenBy.add(job.userId());
                worker.complete(job.id(), JobState.DONE);
              }
              return null;
            });
      }
      two.shutdown();
      assertThat(two.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      two.shutdownNow();
    }
    assertThat(takenBy).hasSize(24);
    // flooder, u1..u4, then the rest of the flood: every other user within the first five takes
    assertThat(takenBy.subList(0, 5)).containsAll(others);
  }

  @Test
  void aGuildsGpuShareHoldsAcrossWorkers() throws InterruptedException {
    RedisJobQueue bot = node("bot");
    RedisJobQueue w1 = node("w1");
    RedisJobQueue w2 = node("w2");
    Job alice = admitted(bot.offer("alice", "g1", prompt("a")));
    Job bob = admitted(bot.offer("bob", "g1", prompt("b")));
    Job carol = admitted(bot.offer("carol", "g2", prompt("c")));
    assertThat(w1.take(Duration.ofSeconds(1), j -> true).id()).isEqualTo(alice.id());
    assertThat(w2.take(Duration.ofSeconds(1), j -> true).id())
        .as("g1 runs its share of one: bob waits, carol's guild is free")
        .isEqualTo(carol.id());
    assertThat(w2.take(Duration.ofMillis(300), j -> true)).isNull();
    assertThat(bot.position(bob.id())).isEqualTo(1);
    w1.complete(alice.id(), JobState.DONE);
    assertThat(w2.take(Duration.ofSeconds(1), j -> true).id()).isEqualTo(bob.id());
  }
}
