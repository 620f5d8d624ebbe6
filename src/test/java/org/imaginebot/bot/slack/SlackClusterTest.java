package org.imaginebot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.app.Role;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.cluster.TestRedis;
import org.imaginebot.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Slack bot nodes behind a load balancer (each request may reach either) and one worker, on the
 * real Redis and PostgreSQL: a replay is refused by the other node too, and a Cancel pressed on the
 * node that did not take the command stops the run, whose message the first node updates.
 */
final class SlackClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWNER = "U0OWNER";

  @TempDir Path dir;

  private static Map<String, String> cluster(TestRedis redis, TestDatabase db, String node) {
    Map<String, String> s = new HashMap<>();
    s.put("queue.database", db.url());
    s.put("queue.backend", "redis");
    s.put("redis.url", redis.url());
    s.put("redis.keyPrefix", redis.prefix());
    s.put("redis.nodeId", node);
    return s;
  }

  @Test
  void replaysAreRefusedByEveryNode_andACancelOnAnotherNodeStopsTheRun() throws Exception {
    TestRedis redis = TestRedis.local();
    try (TestDatabase db = TestDatabase.postgres();
        FakeSlack fake = FakeSlack.start();
        BotApplication worker = worker(redis, db);
        SlackHarness a =
            SlackHarness.start(
                dir.resolve("a"),
                cluster(redis, db, "bot-a"),
                new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET),
                fake,
                Role.BOT);
        SlackHarness b =
            SlackHarness.start(
                dir.resolve("b"),
                cluster(redis, db, "bot-b"),
                new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET),
                fake,
                Role.BOT)) {
      long now = System.currentTimeMillis() / 1000;
      String command = FakeSlack.slashCommand(OWNER, "/imagine", "a slow sunset --steps 400");
      assertThat(fake.post(a.port, command, FakeSlack.SIGNING_SECRET, now).statusCode())
          .isEqualTo(200);
      assertThat(fake.post(b.port, command, FakeSlack.SIGNING_SECRET, now).statusCode())
          .as("the same signed request replayed to the other node")
          .isEqualTo(401);

      ApiCall post =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> fake.calls("chat.postMessage").stream().findFirst(), Optional::isPresent)
              .get();
      String job = cancelValue(post);
      await().atMost(Duration.ofSeconds(60)).until(() -> !worker.queue().running().isEmpty());

      fake.post(b.port, FakeSlack.buttonPress(OWNER, ActionIds.CANCEL, job, post.param("ts")));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fake.calls("chat.update").stream()
                      .anyMatch(u -> u.param("text").equals("Cancelled.")));
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.queue().running().isEmpty());
      assertThat(db.query("SELECT state FROM jobs")).containsExactly("CANCELLED");
    } finally {
      redis.close();
    }
  }

  private BotApplication worker(TestRedis redis, TestDatabase db) {
    Map<String, String> s = cluster(redis, db, "worker-1");
    s.put("cache.diskDir", dir.resolve("worker-cache").toString());
    s.put("engine.cutouts", "2");
    AppConfig config = ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), s);
    return BotApplication.open(config, Role.WORKER).startWorkers();
  }

  private static String cancelValue(ApiCall call) throws Exception {
    for (JsonNode block : JSON.readTree(call.param("blocks"))) {
      for (JsonNode element : block.path("elements")) {
        if (ActionIds.CANCEL.equals(element.path("action_id").asText())) {
          return element.path("value").asText();
        }
      }
    }
    throw new AssertionError("no Cancel button in " + call.param("blocks"));
  }
}
