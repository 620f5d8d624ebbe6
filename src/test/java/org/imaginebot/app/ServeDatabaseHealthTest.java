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
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on PostgreSQL when the database goes away: {@code /health} says so in a few words,
 * and neither it nor the output shows the URL's password or the driver's error text.
 */
final class ServeDatabaseHealthTest {

  private static final Pattern HEALTH_URL = Pattern.compile("health (http://\\S+/health)");
  private static final String SECRET =
      "hunter2"; // trust authentication ignores it; it must never show

  @TempDir Path dir;

  @Test
  void databaseGone_healthSaysDatabaseDownConnectionRefused_withoutSecretsOrDriverText()
      throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      new String[] {
                        "serve",
                        "--for",
                        "PT15S",
                        "--set",
                        "server.port=0",
                        "--set",
                        "queue.database=" + db.url() + "&password=" + SECRET,
                        "--set",
                        "queue.connectTimeout=PT0.5S",
                        "--set",
                        "cache.diskDir=" + dir.resolve("cache")
                      },
                      Map.of(),
                      stream,
                      stream,
                      false));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> HEALTH_URL.matcher(out.toString(StandardCharsets.UTF_8)).find());
      Matcher url = HEALTH_URL.matcher(out.toString(StandardCharsets.UTF_8));
      assertThat(url.find()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create(url.group(1))).build();
      assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).body())
          .contains("\"database\":{\"status\":\"UP\",\"detail\":\"reachable\"}");

      db.cut();
      AtomicReference<HttpResponse<String>> down = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                down.set(http.send(health, HttpResponse.BodyHandlers.ofString()));
                return down.get()
                    .body()
                    .contains(
                        "\"database\":{\"status\":\"DOWN\",\"detail\":\"connection refused\"}");
              });

      assertThat(down.get().statusCode()).isEqualTo(503);
      assertThat(down.get().body()).doesNotContain(SECRET, "jdbc:", "Exception", "I/O error");
      db.restore();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
    }
  }

  @Test
  void databaseUnreachableAtStart_saysWhereAndWhatToCheck_exits3() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

    int code =
        Main.run(
            new String[] {
              "serve",
              "--for",
              "PT1S",
              "--set",
              "server.port=0",
              "--set",
              "queue.database=jdbc:postgresql://127.0.0.1:"
                  + closed
                  + "/test?user=bot&password="
                  + SECRET,
              "--set",
              "queue.connectTimeout=PT0.5S",
              "--set",
              "cache.diskDir=" + dir.resolve("cache")
            },
            Map.of(),
            stream,
            stream,
            false);

    assertThat(code).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "error: cannot open the database jdbc:postgresql://127.0.0.1:"
                + closed
                + "/test?user=bot&password=*** (connection refused); check queue.database and that the database is running")
        .doesNotContain(SECRET);
  }
}
