package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.bench.DiscordLoad;
import org.imaginebot.bench.fake.TcpForwarder;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bot.discord.DiscordLogin;

/**
 * The whole bot as {@code serve --role all} runs it (core, worker on the configured engine, the
 * real JDA), or a bot node whose jobs run on worker nodes ({@code --role bot}), connected to a
 * {@link FakeDiscord} that enforces Discord's per-message edit limit, on a {@link
 * BenchEnvironment}: what {@code bench load} and {@code bench faults} send commands to.
 */
final class DiscordBenchBot implements BenchBot {

  /** Discord takes about 5 edits of one message per 5 s; the fake answers 429 past that. */
  static final int EDITS_PER_WINDOW = 5;

  /** {@code jdbc:postgresql://host[:port]}: the server part of a PostgreSQL URL. */
  private static final Pattern POSTGRES_SERVER =
      Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?");

  final FakeDiscord fake;
  final BotApplication app;
  final AppConfig config;
  private final BenchEnvironment environment;
  private final TcpForwarder databaseLink; // null: the bot reaches its database directly

  private DiscordBenchBot(
      FakeDiscord fake,
      BotApplication app,
      AppConfig config,
      BenchEnvironment environment,
      TcpForwarder databaseLink) {
    this.fake = fake;
    this.app = app;
    this.config = config;
    this.environment = environment;
    this.databaseLink = databaseLink;
  }

  /**
   * Starts the fake, then the bot on it.
   *
   * @param database a JDBC URL whose throwaway schema holds the bot's tables, or null for a fresh
   *     H2 file; a PostgreSQL server is reached through a {@link TcpForwarder} that {@link
   *     #databaseLink()} can cut
   * @param extra settings over the config's and the bench's own
   * @param options the command's --config and --set
   */
  static DiscordBenchBot start(String database, Map<String, String> extra, ConfigOptions options)
      throws IOException, InterruptedException {
    return start(database, extra, options, Role.ALL);
  }

  /**
   * Starts the fake, then the bot on it in {@code role}: {@link Role#BOT} for a bot node whose jobs
   * run on worker nodes (queue.backend redis in {@code extra}).
   */
  static DiscordBenchBot start(
      String database, Map<String, String> extra, ConfigOptions options, Role role)
      throws IOException, InterruptedException {
    BenchEnvironment environment = BenchEnvironment.open(database);
    FakeDiscord fake = null;
    TcpForwarder link = null;
    BotApplication app = null;
    try {
      fake = FakeDiscord.start();
      fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      fake.enforceRouteLimit(EDITS_PER_WINDOW, Duration.ofSeconds(5));
      Map<String, String> settings = environment.settings();
      String url = environment.databaseUrl();
      Matcher postgres = POSTGRES_SERVER.matcher(url);
      if (postgres.lookingAt()) {
        link =
            new TcpForwarder(
                postgres.group(1),
                postgres.group(2) == null ? 5432 : Integer.parseInt(postgres.group(2)));
        settings.put(
            "queue.database",
            "jdbc:postgresql://127.0.0.1:" + link.port() + url.substring(postgres.end()));
      }
      settings.put("discord.apiUrl", fake.restBaseUrl());
      settings.put("discord.gatewayUrl", fake.gatewayUrl());
      settings.putAll(extra);
      AppConfig config = options.load(System.getenv(), settings);
      app = BotApplication.open(config, role);
      app.startServing(
          new DiscordLogin(FakeDiscord.BOT_TOKEN, FakeDiscord.GUILD_ID), Clock.systemUTC());
      return new DiscordBenchBot(fake, app, config, environment, link);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(app, fake, link, environment);
      throw e;
    }
  }

  @Override
  public DiscordLoad loadDriver(Duration stall, Consumer<String> log) {
    return new DiscordLoad(fake, stall, log);
  }

  @Override
  public AppConfig config() {
    return config;
  }

  @Override
  public int uncaught() {
    return environment.uncaught();
  }

  /** The link to a PostgreSQL server the bot's tables are on, which a fault can cut; else empty. */
  Optional<TcpForwarder> databaseLink() {
    return Optional.ofNullable(databaseLink);
  }

  /** The bot's database as other nodes reach it: directly, not through {@link #databaseLink()}. */
  String databaseUrl() {
    return environment.databaseUrl();
  }

  /** The result cache's disk tier: a directory worker nodes share with it, as on one volume. */
  Path cacheDir() {
    return environment.cacheDir();
  }

  @Override
  public String databaseKind() {
    return environment.databaseKind();
  }

  @Override
  public void close() throws IOException {
    closeAll(app, fake, databaseLink, environment);
  }

  private static void closeAll(
      BotApplication app, FakeDiscord fake, TcpForwarder link, BenchEnvironment environment)
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
        if (link != null) {
          link.close();
        }
      } finally {
        environment.close();
      }
    }
  }
}
