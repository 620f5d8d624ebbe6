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
}
