package org.imaginebot.bot.slack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.imaginebot.app.AppConfig;
import org.imaginebot.app.BotApplication;
import org.imaginebot.app.ConfigLoader;
import org.imaginebot.app.Role;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.metrics.BotMetrics;
import org.imaginebot.models.ModelManifest;

/**
 * The whole bot as {@code serve} wires and starts it ({@link BotApplication}: core, real engine on
 * the tiny models, the Bolt app on a free port) against a fake Slack on 127.0.0.1, its database and
 * cache in a test directory.
 */
final class SlackHarness implements AutoCloseable {

  final FakeSlack fake;
  final BotApplication app;

  /** The bot's HTTP port; -1 in Socket Mode, which opens none. */
  final int port;

  private SlackHarness(FakeSlack fake, BotApplication app) {
    this.fake = fake;
    this.app = app;
    SlackBot bot = app.slack().orElseThrow();
    this.port = bot.socketMode() ? -1 : bot.port();
  }

  /**
   * @param overrides config keys to change, e.g. {@code slack.minUpdateInterval}
   */
  static SlackHarness start(Path dir, Map<String, String> overrides)
      throws IOException, InterruptedException {
    return start(dir, overrides, new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET));
  }

  /**
   * @param login the secrets the bot starts with, e.g. {@link SlackLogin#socketMode} for Socket
   *     Mode
   */
  static SlackHarness start(Path dir, Map<String, String> overrides, SlackLogin login)
      throws IOException, InterruptedException {
    FakeSlack fake = FakeSlack.start();
    try {
      return start(dir, overrides, login, fake, Role.ALL);
    } catch (InterruptedException | RuntimeException e) {
      fake.close();
      throw e;
    }
  }

  /**
   * One node of a cluster ({@code role}; set queue.backend and redis.* in {@code overrides}) on a
   * fake Slack that other nodes share; closing it closes {@code fake} too.
   */
  static SlackHarness start(
      Path dir, Map<String, String> overrides, SlackLogin login, FakeSlack fake, Role role)
      throws InterruptedException {
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "queue.database", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                "cache.diskDir", dir.resolve("cache").toString(),
                "engine.cutouts", "2",
                "engine.previewEvery", "2",
                "limits.requestsPerMinute", "600",
                "slack.port", "0",
                "slack.apiUrl", fake.apiUrl(),
                "slack.minUpdateInterval", "PT0.5S"));
    all.putAll(overrides);
    AppConfig config = ConfigLoader.load(Path.of("config/application.yaml"), Map.of(), all);
    ModelManifest manifest =
        ModelManifest.load(config.engine().manifest(), config.engine().modelsDir());
    BotApplication app =
        BotApplication.open(
            config,
            manifest,
            BotApplication.engine(config, manifest),
            new BotMetrics(),
            Clock.systemUTC(),
            role);
    try {
      app.startServing(null, login, Clock.systemUTC());
      return new SlackHarness(fake, app);
    } catch (InterruptedException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      app.close();
    } finally {
      fake.close();
    }
  }
}
