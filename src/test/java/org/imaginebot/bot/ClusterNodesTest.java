package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;
import static org.imaginebot.bot.CoreFixture.MODERATOR;
import static org.imaginebot.bot.CoreFixture.request;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.Role;
import org.imaginebot.cluster.TestRedis;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.limits.RefusalKind;
import org.imaginebot.queue.CancelResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bot nodes and worker nodes of one cluster in one JVM, on the real Redis and PostgreSQL: what a
 * user and a moderator see when their requests land on different nodes.
 */
class ClusterNodesTest {

  @TempDir Path dir;
  private TestRedis redis;
  private TestDatabase database;
  private final List<BotApplication> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() {
    redis = TestRedis.local();
    database = TestDatabase.postgres();
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(BotApplication::close);
    database.close();
    redis.close();
  }

  private CoreFixture fixture(String node) {
    return new CoreFixture(dir.resolve(node))
        .set("queue.database", database.url())
        .set("queue.backend", "redis")
        .set("redis.url", redis.url())
        .set("redis.keyPrefix", redis.prefix())
        .set("redis.nodeId", node)
        .set("worker.leaseTimeout", "PT2S")
        .set("cache.diskDir", dir.resolve("shared-cache").toString());
  }

  private BotApplication node(CoreFixture fixture, Role role, ScriptedEngine engine) {
    BotApplication app = fixture.open(engine, role).startWorkers();
    nodes.add(app);
    return app;
  }

  private BotApplication bot(String name) {
    return node(fixture(name), Role.BOT, new ScriptedEngine());
  }

  @Test
  void aSettingChangedThroughOneNodeRefusesTheNextRequestOnTheOther() {
    BotApplication a = bot("bot-a");
    BotApplication b = bot("bot-b");
    assertThat(b.settings().get("guild-1").maxSteps()).isEqualTo(500);
    long changed = System.nanoTime();
    a.moderation().set(MODERATOR, "guild-1", "maxSteps", "10");
    await().atMost(Duration.ofSeconds(1)).until(() -> b.settings().get("guild-1").maxSteps() == 10);
    System.out.printf(
        "setting reached the other node in %d ms%n", (System.nanoTime() - changed) / 1_000_000);
    Submission refused =
        b.imagine().submit(ALICE, request("a lighthouse", 20, 1), new RecordingListener());
    assertThat(refused)
        .isInstanceOfSatisfying(
            Submission.Refused.class,
            r -> assertThat(r.refusal().kind()).isEqualTo(RefusalKind.TOO_MANY_STEPS));

    // A guild's GPU share reaches the dispatch script, and a node started later publishes it too.
    a.moderation().set(MODERATOR, "guild-1", "gpuConcurrency", "2");
    assertThat(hget("share", "guild-1")).isEqualTo("2");
    redis.wipe();
    bot("bot-c");
    assertThat(hget("share", "guild-1")).isEqualTo("2");
  }

  private String hget(String key, String field) {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.url());
    try (var c = client.connect()) {
      return c.sync().hget(redis.prefix() + key, field);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void perUserCapHoldsAcrossBotNodes() {
    CoreFixture a = fixture("bot-a").set("limits.maxQueuedPerUser", "2");
    CoreFixture b = fixture("bot-b").set("limits.maxQueuedPerUser", "2");
    BotApplication nodeA = node(a, Role.BOT, new ScriptedEngine());
    BotApplication nodeB = node(b, Role.BOT, new ScriptedEngine());
    assertThat(nodeA.imagine().submit(ALICE, request("one", 3, 1), new RecordingListener()))
        .isInstanceOf(Submission.Queued.class);
    assertThat(nodeB.imagine().submit(ALICE, request("two", 3, 2), new RecordingListener()))
        .isInstanceOf(Submission.Queued.class);
    assertThat(nodeA.imagine().submit(ALICE, request("three", 3, 3), new RecordingListener()))
        .isInstanceOfSatisfying(
            Submission.Refused.class,
            r -> {
              assertThat(r.refusal().kind()).isEqualTo(RefusalKind.USER_QUEUE_FULL);
              assertThat(r.refusal().message()).contains("You already have 2 images queued");
            });
    assertThat(nodeB.imagine().submit(BOB, request("bob's", 3, 4), new RecordingListener()))
        .isInstanceOf(Submission.Queued.class);
  }

  @Test
  void rateLimitHoldsAcrossBotNodes() {
    CoreFixture a = fixture("bot-a").set("limits.requestsPerMinute", "2");
    CoreFixture b = fixture("bot-b").set("limits.requestsPerMinute", "2");
    BotApplication nodeA = node(a, Role.BOT, new ScriptedEngine());
    BotApplication nodeB = node(b, Role.BOT, new ScriptedEngine());
    nodeA.imagine().submit(BOB, request("one", 3, 1), new RecordingListener());
    nodeB.imagine().submit(BOB, request("two", 3, 2), new RecordingListener());
    assertThat(nodeA.imagine().submit(BOB, request("three", 3, 3), new RecordingListener()))
        .isInstanceOfSatisfying(
            Submission.Refused.class,
            r -> {
              assertThat(r.refusal().kind()).isEqualTo(RefusalKind.USER_RATE_LIMITED);
              assertThat(r.refusal().message()).contains("2 images per minute");
            });
    assertThat(nodeB.imagine().submit(ALICE, request("alice's", 3, 4), new RecordingListener()))
        .as("another user still has room")
        .isInstanceOf(Submission.Queued.class);
  }

  @Test
  void aWorkerNodeRunsWhatABotNodeAdmittedAndTheBotRelaysEveryStep() throws Exception {
    BotApplication bot = bot("bot-a");
    node(fixture("worker-1"), Role.WORKER, new ScriptedEngine());
    RecordingListener alice = new RecordingListener();
    bot.imagine().submit(ALICE, request("a lighthouse", 3, 7), alice);
    RecordingListener.End end = alice.awaitEnd();
    assertThat(end.kind()).isEqualTo("finished");
    assertThat(end.image().seed()).isEqualTo(7);
    assertThat(end.cached()).isFalse();
    assertThat(alice.events)
        .containsSubsequence("queued 1", "started", "step 1", "step 2", "step 3", "finished");

    // The worker wrote the shared cache: the bot node answers the same request without any run.
    RecordingListener again = new RecordingListener();
    assertThat(bot.imagine().submit(BOB, request("a lighthouse", 3, 7), again))
        .isInstanceOf(Submission.Cached.class);
  }

  @Test
  void aCancelOnTheBotNodeStopsTheRunOnTheWorkerWithinAStep() throws Exception {
    BotApplication bot = bot("bot-a");
    ScriptedEngine engine = new ScriptedEngine().gated();
    node(fixture("worker-1"), Role.WORKER, engine);
    RecordingListener alice = new RecordingListener();
    Submission.Queued job =
        (Submission.Queued) bot.imagine().submit(ALICE, request("a lighthouse", 50, 7), alice);
    alice.awaitStarted();
    engine.steps.release(2);
    await().until(() -> alice.events.contains("step 2"));
    assertThat(bot.imagine().cancel(job.jobId(), "alice", false))
        .isEqualTo(CancelResult.CANCELLED_RUNNING);
    assertThat(alice.awaitEnd().kind()).isEqualTo("cancelled");
    assertThat(alice.events).doesNotContain("step 3");
    assertThat(engine.runningPrompts).isEmpty();
  }
}
