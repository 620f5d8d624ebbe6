package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;
import static org.imaginebot.bot.CoreFixture.CAROL_OTHER_GUILD;
import static org.imaginebot.bot.CoreFixture.request;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.Role;
import org.imaginebot.cluster.RedisServer;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.limits.RefusalKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis restarted (empty) while a job runs and two wait: every requester still gets one image. */
class RedisRestartTest {

  @TempDir Path dir;

  @Test
  void noJobIsLostWhenRedisRestartsMidRun() throws Exception {
    try (RedisServer redis = RedisServer.start(dir);
        TestDatabase database = TestDatabase.postgres()) {
      ScriptedEngine engine = new ScriptedEngine().gated();
      CoreFixture fixture =
          new CoreFixture(dir)
              .set("queue.database", database.url())
              .set("queue.backend", "redis")
              .set("redis.url", redis.url())
              .set("redis.nodeId", "solo")
              .set("worker.leaseTimeout", "PT2S");
      try (BotApplication app = fixture.open(engine, Role.ALL).startWorkers()) {
        RecordingListener alice = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        RecordingListener carol = new RecordingListener();
        app.imagine().submit(ALICE, request("a lighthouse", 5, 1), alice);
        app.imagine().submit(BOB, request("a harbour", 5, 2), bob);
        app.imagine().submit(CAROL_OTHER_GUILD, request("a ship", 5, 3), carol);
        alice.awaitStarted();
        engine.steps.release(2);
        await().until(() -> alice.events.contains("step 2"));

        redis.restart(); // everything Redis held is gone

        engine.open();
        for (RecordingListener l : List.of(alice, bob, carol)) {
          assertThat(l.end.get(60, java.util.concurrent.TimeUnit.SECONDS).kind())
              .isEqualTo("finished");
        }
        for (RecordingListener l : List.of(alice, bob, carol)) {
          assertThat(l.events.stream().filter(e -> e.startsWith("finished"))).hasSize(1);
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(database.query("SELECT state FROM jobs"))
                        .containsOnly("DONE")
                        .hasSize(3));
      }
    }
  }

  @Test
  void whileRedisIsDownRequestsAreRefusedAndNothingIsHalfQueued() throws Exception {
    try (RedisServer redis = RedisServer.start(dir);
        TestDatabase database = TestDatabase.postgres()) {
      CoreFixture fixture =
          new CoreFixture(dir)
              .set("queue.database", database.url())
              .set("queue.backend", "redis")
              .set("redis.url", redis.url())
              .set("redis.nodeId", "solo");
      try (BotApplication app = fixture.open(new ScriptedEngine(), Role.BOT).startWorkers()) {
        redis.stop();
        Submission refused =
            app.imagine().submit(ALICE, request("a lighthouse", 5, 1), new RecordingListener());
        assertThat(refused)
            .isInstanceOfSatisfying(
                Submission.Refused.class,
                r -> {
                  assertThat(r.refusal().kind()).isEqualTo(RefusalKind.STORE_UNAVAILABLE);
                  assertThat(r.refusal().message())
                      .isEqualTo(
                          "The bot cannot reach its queue right now; nothing was queued — try"
                              + " again in a minute.");
                });
        assertThat(database.query("SELECT state FROM jobs")).isEmpty();

        redis.restart();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    app.imagine()
                            .submit(ALICE, request("a lighthouse", 5, 1), new RecordingListener())
                        instanceof Submission.Queued);
        assertThat(database.query("SELECT state FROM jobs")).containsExactly("QUEUED");
      }
    }
  }
}
