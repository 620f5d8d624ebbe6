package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} through the real command line: the core starts and answers /health and /metrics.
 */
final class ServeCommandTest {

  private static final Pattern METRICS_URL =
      Pattern.compile("metrics (http://\\S+/metrics), health (http://\\S+/health)");

  @TempDir Path dir;

  @Test
  void serve_answersHealthAndMetrics_untilStopped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {
                      "serve",
                      "--for",
                      "PT4S",
                      "--set",
                      "server.port=0",
                      "--set",
                      "queue.database=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                      "--set",
                      "cache.diskDir=" + dir.resolve("cache")
                    },
                    Map.of(),
                    stream,
                    stream,
                    false));

    Matcher urls = awaitServing(out);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.group(2))).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.group(1))).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body())
        .contains(
            "\"status\":\"UP\"", "\"queue\"", "0 queued, 0 running", "\"database\"", "\"engine\"");
    assertThat(metrics.body())
        .contains(
            "imagine_queue_jobs{state=\"queued\"} 0.0",
            "imagine_jobs_queued_total 0.0",
            "jvm_memory_used_bytes");
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("imagine-bot stopped");
  }

  @Test
  void serve_withDiscordToken_connectsAndRegistersTheCommands() throws Exception {
    try (FakeDiscord fake = FakeDiscord.start()) {
      fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

      int code =
          Main.run(
              serveArgs(fake, "PT1S"),
              Map.of(
                  "DISCORD_TOKEN", FakeDiscord.BOT_TOKEN, "DISCORD_GUILD_ID", FakeDiscord.GUILD_ID),
              stream,
              stream,
              false);

      assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains(
              "Discord: connected as "
                  + FakeDiscord.BOT_USER_NAME
                  + ", commands registered in guild "
                  + FakeDiscord.GUILD_ID)
          .doesNotContain(FakeDiscord.BOT_TOKEN);
      assertThat(fake.guildCommands(FakeDiscord.GUILD_ID).toString()).contains("\"imagine\"");
    }
  }

  @Test
  void serve_withARefusedToken_saysSoAndExits3() {
    try (FakeDiscord fake = FakeDiscord.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

      int code =
          Main.run(
              serveArgs(fake, "PT1S"),
              Map.of("DISCORD_TOKEN", "wrong-token"),
              stream,
              stream,
              false);

      assertThat(code).isEqualTo(ExitCodes.ENVIRONMENT);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains(
              "error: Discord refused DISCORD_TOKEN: copy the bot token again from the Developer Portal")
          .doesNotContain("wrong-token");
    }
  }

  @Test
  void serve_withAGuildTheBotIsNotIn_saysSoAndExits3() {
    try (FakeDiscord fake = FakeDiscord.start()) {
      fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
      String otherGuild = "999999999999999999";

      int code =
          Main.run(
              serveArgs(fake, "PT1S"),
              Map.of("DISCORD_TOKEN", FakeDiscord.BOT_TOKEN, "DISCORD_GUILD_ID", otherGuild),
              stream,
              stream,
              false);

      assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.ENVIRONMENT);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains(
              "error: the bot is not in the server DISCORD_GUILD_ID=" + otherGuild + ": invite it");
      assertThat(fake.guildCommands(otherGuild)).isEmpty();
    }
  }

  @Test
  void serve_withAGuildIdThatIsNoId_saysWhatItShouldBeAndExits2() {
    try (FakeDiscord fake = FakeDiscord.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);

      int code =
          Main.run(
              serveArgs(fake, "PT1S"),
              Map.of("DISCORD_TOKEN", FakeDiscord.BOT_TOKEN, "DISCORD_GUILD_ID", "my-server"),
              stream,
              stream,
              false);

      assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.USAGE);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("error: DISCORD_GUILD_ID must be a server id, digits only", "got: my-server")
          .doesNotContain(FakeDiscord.BOT_TOKEN);
    }
  }

  private String[] serveArgs(FakeDiscord fake, String runFor) {
    return new String[] {
      "serve",
      "--for",
      runFor,
      "--set",
      "server.port=0",
      "--set",
      "queue.database=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
      "--set",
      "cache.diskDir=" + dir.resolve("cache"),
      "--set",
      "discord.apiUrl=" + fake.restBaseUrl(),
      "--set",
      "discord.gatewayUrl=" + fake.gatewayUrl()
    };
  }

  private static Matcher awaitServing(ByteArrayOutputStream out) {
    Matcher m =
        await("serve printing its URLs")
            .atMost(Duration.ofSeconds(20))
            .until(() -> METRICS_URL.matcher(out.toString(StandardCharsets.UTF_8)), Matcher::find);
    return m;
  }
}
