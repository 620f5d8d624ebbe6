package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.imaginebot.bench.BenchDatabase;
import org.imaginebot.bench.fake.TcpForwarder;
import org.imaginebot.bench.fake.discord.FakeDiscord;
import org.imaginebot.bot.discord.DiscordLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole bot as {@code serve --role all} runs it (core, worker on the configured engine, the
 * real JDA), or a bot node whose jobs run on worker nodes ({@code --role bot}), connected to a
 * {@link FakeDiscord} that enforces Discord's per-message edit limit, on a throwaway database and
 * cache: what {@code bench load} and {@code bench faults} send commands to. Counts exceptions no
 * thread caught while it runs.
 */
final class DiscordBenchBot implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordBenchBot.class);

  /** Discord takes about 5 edits of one message per 5 s; the fake answers 429 past that. */
  static final int EDITS_PER_WINDOW = 5;

  /** {@code jdbc:postgresql://host[:port]}: the server part of a PostgreSQL URL. */
  private static final Pattern POSTGRES_SERVER =
      Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?");

  final FakeDiscord fake;
  final BotApplication app;
  final AppConfig config;
  private final BenchDatabase db;
  private final Path cache;
  private final TcpForwarder databaseLink; // null: the bot reaches its database directly
  private final AtomicInteger uncaught;
  private final Thread.UncaughtExceptionHandler previous;

  private DiscordBenchBot(
      FakeDiscord fake,
      BotApplication app,
      AppConfig config,
      BenchDatabase db,
      Path cache,
      TcpForwarder databaseLink,
      AtomicInteger uncaught,
      Thread.UncaughtExceptionHandler previous) {
    this.fake = fake;
    this.app = app;
    this.config = config;
    this.db = db;
    this.cache = cache;
    this.databaseLink = databaseLink;
    this.uncaught = uncaught;
    this.previous = previous;
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
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    AtomicInteger uncaught = new AtomicInteger();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          uncaught.incrementAndGet();
          LOG.error("uncaught exception in thread {}", thread.getName(), e);
        });
    FakeDiscord fake = FakeDiscord.start();
    BenchDatabase db = null;
    Path cache = null;
    TcpForwarder link = null;
    BotApplication app = null;
    try {
      fake.addGuild(FakeDiscord.GUILD_ID, FakeDiscord.CHANNEL_ID);
      fake.enforceRouteLimit(EDITS_PER_WINDOW, Duration.ofSeconds(5));
      db = database == null ? BenchDatabase.h2File() : BenchDatabase.schemaIn(database);
      cache = Files.createTempDirectory("imagine-bench-cache");
      Map<String, String> settings = new LinkedHashMap<>();
      String url = db.url();
      Matcher postgres = POSTGRES_SERVER.matcher(url);
      if (postgres.lookingAt()) {
        link =
            new TcpForwarder(
                postgres.group(1),
                postgres.group(2) == null ? 5432 : Integer.parseInt(postgres.group(2)));
        url = "jdbc:postgresql://127.0.0.1:" + link.port() + url.substring(postgres.end());
      }
      settings.put("queue.database", url);
      settings.put("cache.diskDir", cache.toString());
      // Users send as fast as the load asks; the per-user queue cap (maxQueuedPerUser) stays.
      settings.put("limits.requestsPerMinute", "600");
      settings.put("limits.scopeRequestsPerMinute", "10000");
      settings.put("discord.apiUrl", fake.restBaseUrl());
      settings.put("discord.gatewayUrl", fake.gatewayUrl());
      settings.putAll(extra);
      AppConfig config = options.load(System.getenv(), settings);
      app = BotApplication.open(config, role);
      app.startServing(
          new DiscordLogin(FakeDiscord.BOT_TOKEN, FakeDiscord.GUILD_ID), Clock.systemUTC());
      return new DiscordBenchBot(fake, app, config, db, cache, link, uncaught, previous);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(app, fake, db, cache, link);
      Thread.setDefaultUncaughtExceptionHandler(previous);
      throw e;
    }
  }

  /** Exceptions no thread caught since the bot started. */
  int uncaught() {
    return uncaught.get();
  }

  /** The link to a PostgreSQL server the bot's tables are on, which a fault can cut; else empty. */
  Optional<TcpForwarder> databaseLink() {
    return Optional.ofNullable(databaseLink);
  }

  /** The bot's database as other nodes reach it: directly, not through {@link #databaseLink()}. */
  String databaseUrl() {
    return db.url();
  }

  /** The result cache's disk tier: a directory worker nodes share with it, as on one volume. */
  Path cacheDir() {
    return cache;
  }

  /** What kind of database holds the bot's tables: h2 or postgresql. */
  String databaseKind() {
    return db.kind();
  }

  @Override
  public void close() throws IOException {
    try {
      closeAll(app, fake, db, cache, databaseLink);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static void closeAll(
      BotApplication app, FakeDiscord fake, BenchDatabase db, Path cache, TcpForwarder link)
      throws IOException {
    try {
      if (app != null) {
        app.close(); // the adapter first, then the core
      }
    } finally {
      fake.close();
      if (link != null) {
        link.close();
      }
      if (db != null) {
        db.close();
      }
      if (cache != null) {
        try (Stream<Path> paths = Files.walk(cache)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
