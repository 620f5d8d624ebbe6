package org.imaginebot.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.imaginebot.bench.SlackLoad;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.bot.slack.SlackLogin;

/**
 * The whole bot as {@code serve --role all} runs it with Slack (core, worker on the configured
 * engine, the real Bolt app in HTTP mode on a free port, checking each request's signature)
 * connected to a {@link FakeSlack}, on a {@link BenchEnvironment}: what {@code bench load
 * --platform slack} and {@code bench faults --platform slack} send slash commands to.
 */
final class SlackBenchBot implements BenchBot {

  final FakeSlack fake;
  final BotApplication app;
  private final AppConfig config;
  private final BenchEnvironment environment;

  private SlackBenchBot(
      FakeSlack fake, BotApplication app, AppConfig config, BenchEnvironment environment) {
    this.fake = fake;
    this.app = app;
    this.config = config;
    this.environment = environment;
  }

  /**
   * Starts the fake, then the bot on it.
   *
   * @param database a JDBC URL whose throwaway schema holds the bot's tables, or null for a fresh
   *     H2 file
   * @param extra settings over the config's and the bench's own
   * @param options the command's --config and --set
   */
  static SlackBenchBot start(String database, Map<String, String> extra, ConfigOptions options)
      throws IOException, InterruptedException {
    BenchEnvironment environment = BenchEnvironment.open(database);
    FakeSlack fake = null;
    BotApplication app = null;
    try {
      fake = FakeSlack.start();
      Map<String, String> settings = environment.settings();
      settings.put("slack.port", "0");
      settings.put("slack.apiUrl", fake.apiUrl());
      settings.putAll(extra);
      AppConfig config = options.load(System.getenv(), settings);
      app = BotApplication.open(config, Role.ALL);
      app.startServing(
          null, new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET), Clock.systemUTC());
      return new SlackBenchBot(fake, app, config, environment);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(app, fake, environment);
      throw e;
    }
  }

  @Override
  public SlackLoad loadDriver(Duration stall, Consumer<String> log) {
    return new SlackLoad(fake, port(), stall, log);
  }

  /** The port of the bot's Slack endpoint. */
  int port() {
    return app.slack().orElseThrow().port();
  }

  @Override
  public AppConfig config() {
    return config;
  }

  @Override
  public int uncaught() {
    return environment.uncaught();
  }

  @Override
  public String databaseKind() {
    return environment.databaseKind();
  }

  @Override
  public void close() throws IOException {
    closeAll(app, fake, environment);
  }

  private static void closeAll(BotApplication app, FakeSlack fake, BenchEnvironment environment)
      throws IOException {
    try {
      if (app != null) {
        app.close(); // the adapter first, then the core
      }
    } finally {
      try {
        if (fake != null) {
          fake.close();
        }
      } finally {
        environment.close();
      }
    }
  }
}
