package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.cluster.RedisServer;
import org.imaginebot.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --role}: what an operator sees when Redis is missing, away, or back. */
final class ServeClusterTest {

  private static final Pattern HEALTH_URL = Pattern.compile("health (http://\\S+/health)");

  @TempDir Path dir;

  private static int run(ByteArrayOutputStream out, String... args) {
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    return Main.run(args, Map.of(), stream, stream, false);
  }

  @Test
  void aWorkerWithoutRedisUrl_exits3_sayingWhatToSet() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = run(out, "serve", "--role", "worker", "--for", "PT1S", "--set", "server.port=0");
    assertThat(code).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("serve --role worker shares the queue through Redis")
        .contains("IMAGINE_REDIS_URL");
  }

  @Test
  void anUnknownRole_exits2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(run(out, "serve", "--role", "gpu", "--for", "PT1S")).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--role must be all, bot or worker, got 'gpu'");
  }

  @Test
  void redisUnreachableAtStart_exits3_namingWhere() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (TestDatabase db = TestDatabase.postgres()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          run(
              out,
              "serve",
              "--role",
              "worker",
              "--for",
              "PT1S",
              "--set",
              "server.port=0",
              "--set",
              "queue.database=" + db.url(),
              "--set",
              "redis.url=redis://127.0.0.1:" + closed + "/0");
      assertThat(code).isEqualTo(3);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("cannot reach Redis at redis://127.0.0.1:" + closed + "/0");
    }
  }

  @Test
  void redisGoneAndBack_healthSaysSo_andTheWorkerCarriesOn() throws Exception {
    try (TestDatabase db = TestDatabase.postgres();
        RedisServer redis = RedisServer.start(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () ->
                  run(
                      out,
                      "serve",
                      "--role",
                      "worker",
                      "--for",
                      "PT30S",
                      "--set",
                      "server.port=0",
                      "--set",
                      "queue.database=" + db.url(),
                      "--set",
                      "redis.url=" + redis.url(),
                      "--set",
                      "cache.diskDir=" + dir.resolve("cache")));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> HEALTH_URL.matcher(out.toString(StandardCharsets.UTF_8)).find());
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text).contains("role worker, queue on " + redis.url());
      assertThat(text).contains("Worker: taking jobs from the shared queue; no chat platform");
      Matcher url = HEALTH_URL.matcher(text);
      assertThat(url.find()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create(url.group(1))).build();
      assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).body())
          .contains("\"redis\":{\"status\":\"UP\",\"detail\":\"up\"}");

      redis.stop();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 503 && r.body().contains("\"redis\":{\"status\":\"DOWN\"");
              });

      redis.restart();
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  http.send(health, HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("\"redis\":{\"status\":\"UP\",\"detail\":\"up\"}"));
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
  }
}
