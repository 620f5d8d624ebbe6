package org.imaginebot.bot.discord;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.engine.Engine;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;

/**
 * The whole bot as {@code serve} wires and starts it ({@link BotApplication}: core, real engine on
 * the tiny models, JDA) connected to a fake Discord on 127.0.0.1, its database and cache in a test
 * directory.
 */
final class DiscordHarness implements AutoCloseable {

  final FakeDiscord fake;
  final BotApplication app;

  private DiscordHarness(FakeDiscord fake, BotApplication app) {
    this.fake = fake;
    this.app = app;
  }

  /**
   * @param overrides config keys to change, e.g. {@code discord.minEditInterval}
   * @param clock the adapter's clock, which decides when an interaction token is too old
   */
  static DiscordHarness start(Path dir, Map<String, String> overrides, Clock clock)
      throws InterruptedException {
    return start(dir, overrides, clock, FakeDiscord.GUILD_ID);
  }

  /**
   * @param commandGuild where commands are registered; null registers them globally
   */
  static DiscordHarness start(
      Path dir, Map<String, String> overrides, Clock clock, String commandGuild)
      throws InterruptedException {
    return start(dir, overrides, clock, commandGuild, null);
  }

  /** The bot with {@code engine} in place of the real one, e.g. one that fails. */
  static DiscordHarness startWith(
      Engine engine, Path dir, Map<String, String> overrides, Clock clock)
      throws InterruptedException {
    return start(dir, overrides, clock, FakeDiscord.GUILD_ID, engine);
  }

  private static DiscordHarness start(
      Path dir, Map<String, String> overrides, Clock clock, String commandGuild, Engine engine)
      throws InterruptedException {
    FakeDiscord fake = FakeDiscord.start();
    fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
    try {
      BotApplication app =
          serve(
              fake,
              dir,
              new DiscordLogin(FakeDiscord.BOT_TOKEN, commandGuild),
              overrides,
              clock,
              engine);
      return new DiscordHarness(fake, app);
    } catch (InterruptedException | RuntimeException e) {
      fake.close();
      throw e;
    }
  }

  /**
   * One bot node on {@code fake} (which the caller closes), started as {@code serve} does; several
   * may share one fake, each with its own {@code dir} (database, cache) and, to tell them apart in
   * the fake's records, its own token.
   *
   * @param engine null for the real engine on the tiny models
   */
  static BotApplication serve(
      FakeDiscord fake,
      Path dir,
      DiscordLogin login,
      Map<String, String> overrides,
      Clock clock,
      Engine engine)
      throws InterruptedException {
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "queue.database",
                "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                "cache.diskDir",
                dir.resolve("cache").toString(),
                "engine.cutouts",
                "2",
                "engine.previewEvery",
                "2",
                "limits.requestsPerMinute",
                "600",
                "discord.apiUrl",
                fake.restBaseUrl(),
                "discord.gatewayUrl",
                fake.gatewayUrl(),
                "discord.minEditInterval",
                "PT0.5S"));
    all.putAll(overrides);
    AppConfig config = ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), all);
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    BotApplication app =
        BotApplication.open(
            config,
            manifest,
            engine != null ? engine : BotApplication.engine(config, manifest),
            new BotMetrics(),
            Clock.systemUTC());
    try {
      return app.startServing(login, clock); // serve's order
    } catch (InterruptedException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      app.close(); // the adapter first, then the core
    } finally {
      fake.close();
    }
  }
}
