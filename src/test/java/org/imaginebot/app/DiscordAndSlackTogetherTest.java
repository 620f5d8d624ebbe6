package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.imaginebot.bench.fake.discord.CommandOption;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bench.fake.discord.Interaction;
import org.imaginebot.bench.fake.discord.RestCall;
import org.imaginebot.bench.fake.discord.SlashCommand;
import org.imaginebot.bench.fake.slack.ApiCall;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.bot.discord.DiscordLogin;
import org.imaginebot.bot.slack.SlackLogin;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discord and Slack in one process, as {@code serve} runs them with both logins: one core, one
 * queue, one result cache — an image made for a Discord server is a cache hit in a Slack workspace.
 */
final class DiscordAndSlackTogetherTest {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void bothPlatformsServe_fromOneCore_andARepeatOnTheOtherPlatformIsACacheHit() throws Exception {
    try (FakeDiscord discord = FakeDiscord.start();
        FakeSlack slack = FakeSlack.start()) {
      discord.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      AppConfig config =
          ConfigLoader.load(
              Path.of("config/application.yaml"),
              Map.of(),
              Map.of(
                  "queue.database",
                  "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                  "cache.diskDir",
                  dir.resolve("cache").toString(),
                  "engine.cutouts",
                  "2",
                  "discord.apiUrl",
                  discord.restBaseUrl(),
                  "discord.gatewayUrl",
                  discord.gatewayUrl(),
                  "discord.minEditInterval",
                  "PT0.5S",
                  "slack.port",
                  "0",
                  "slack.apiUrl",
                  slack.apiUrl(),
                  "slack.minUpdateInterval",
                  "PT0.5S"));
      ModelManifest manifest =
          ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
      try (BotApplication app =
          BotApplication.open(
              config,
              manifest,
              BotApplication.engine(config, manifest),
              new BotMetrics(),
              Clock.systemUTC())) {
        app.startServing(
            new DiscordLogin(FakeDiscord.BOT_TOKEN, FakeDiscord.GUILD_ID),
            new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET),
            Clock.systemUTC());
        assertThat(app.discord()).isPresent();
        assertThat(app.slack()).isPresent();

        Interaction onDiscord =
            discord.slashCommand(
                SlashCommand.of(
                    "imagine",
                    CommandOption.string("prompt", "a shared lighthouse"),
                    CommandOption.integer("steps", 6),
                    CommandOption.integer("seed", 21)));
        RestCall made =
            await()
                .atMost(WAIT)
                .until(
                    () ->
                        discord.calls("PATCH", onDiscord.originalPath()).stream()
                            .filter(c -> c.json().toString().contains("imagine:reroll:"))
                            .findFirst(),
                    Optional::isPresent)
                .get();
        byte[] discordPng = made.files().values().iterator().next();

        slack.post(
            app.slack().orElseThrow().port(),
            FakeSlack.slashCommand(
                "U0SLACK", "/imagine", "a shared lighthouse --steps 6 --seed 21"));

        ApiCall answered =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () ->
                        slack.calls(c -> c.method().startsWith("chat.")).stream()
                            .filter(c -> c.param("text").startsWith("✅"))
                            .findFirst(),
                    Optional::isPresent)
                .get();
        assertThat(answered.param("text")).contains("cached", "seed 21");
        ApiCall upload =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> slack.calls("upload").stream().findFirst(), Optional::isPresent)
                .get();
        assertThat(upload.body()).isEqualTo(discordPng); // the same image, not a second run
      }
    }
  }
}
