package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.cluster.TestRedis;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit}: a job on the shared queue, made by a worker node, written with --wait. */
final class SubmitCommandTest {

  @TempDir Path dir;

  private static int run(ByteArrayOutputStream out, String... args) {
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    return Main.run(args, Map.of(), stream, stream, false);
  }

  @Test
  void waitsForTheWorkerWithAProgressBarAndWritesThePng() throws Exception {
    TestRedis redis = TestRedis.local();
    try (TestDatabase db = TestDatabase.postgres();
        BotApplication worker = worker(redis, db)) {
      Path png = dir.resolve("out.png");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          run(
              out,
              "submit",
              "a lighthouse",
              "--model",
              "tiny",
              "--steps",
              "20",
              "--seed",
              "1",
              "--redis",
              redis.url(),
              "--wait",
              "--out",
              png.toString(),
              "--set",
              "redis.keyPrefix=" + redis.prefix(),
              "--set",
              "queue.database=" + db.url(),
              "--set",
              "cache.diskDir=" + dir.resolve("submit-cache"));
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(text).isZero();
      assertThat(text)
          .contains(
              "queued job ", " at place 1 on " + redis.url(), "\"a lighthouse\", adam on tiny")
          .contains("started on a worker")
          .contains("20/20")
          .contains("wrote " + png);
      byte[] bytes = Files.readAllBytes(png);
      assertThat(Provenance.read(bytes)).isPresent();
      assertThat(db.query("SELECT state FROM jobs")).containsExactly("DONE");
    } finally {
      redis.close();
    }
  }

  @Test
  void withoutRedis_exits3_sayingWhatToGive() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "submit", "a lighthouse", "--wait")).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("give --redis URL or set IMAGINE_REDIS_URL");
  }

  private BotApplication worker(TestRedis redis, TestDatabase db) {
    AppConfig config =
        ConfigLoader.load(
            Path.of("config/application.yaml"),
            Map.of(),
            Map.of(
                "queue.database", db.url(),
                "redis.url", redis.url(),
                "redis.keyPrefix", redis.prefix(),
                "redis.nodeId", "worker-1",
                "engine.cutouts", "4",
                "cache.diskDir", dir.resolve("worker-cache").toString()));
    return BotApplication.open(config, Role.WORKER).startWorkers();
  }
}
