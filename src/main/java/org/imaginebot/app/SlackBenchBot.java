package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.imaginebot.bench.BenchDatabase;
import org.imaginebot.bench.fake.slack.FakeSlack;
import org.imaginebot.bot.slack.SlackLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole bot as {@code serve --role all} runs it with Slack (core, worker on the configured
 * engine, the real Bolt app on a free port, checking each request's signature) connected to a
 * {@link FakeSlack}, on a throwaway database and cache: what {@code bench faults --platform slack}
 * sends slash commands to. Counts exceptions no thread caught while it runs.
 */
final class SlackBenchBot implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SlackBenchBot.class);

  final FakeSlack fake;
  final BotApplication app;
  private final BenchDatabase db;
  private final Path cache;
  private final AtomicInteger uncaught;
  private final Thread.UncaughtExceptionHandler previous;

  private SlackBenchBot(
      FakeSlack fake,
      BotApplication app,
      BenchDatabase db,
      Path cache,
      AtomicInteger uncaught,
      Thread.UncaughtExceptionHandler previous) {
    this.fake = fake;
    this.app = app;
    this.db = db;
    this.cache = cache;
    this.uncaught = uncaught;
    this.previous = previous;
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
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    AtomicInteger uncaught = new AtomicInteger();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          uncaught.incrementAndGet();
          LOG.error("uncaught exception in thread {}", thread.getName(), e);
        });
    FakeSlack fake = FakeSlack.start();
    BenchDatabase db = null;
    Path cache = null;
    BotApplication app = null;
    try {
      db = database == null ? BenchDatabase.h2File() : BenchDatabase.schemaIn(database);
      cache = Files.createTempDirectory("imagine-bench-cache");
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("queue.database", db.url());
      settings.put("cache.diskDir", cache.toString());
      // Users send as fast as the load asks; the per-user queue cap (maxQueuedPerUser) stays.
      settings.put("limits.requestsPerMinute", "600");
      settings.put("limits.scopeRequestsPerMinute", "10000");
      settings.put("slack.port", "0");
      settings.put("slack.apiUrl", fake.apiUrl());
      settings.putAll(extra);
      AppConfig config = options.load(System.getenv(), settings);
      app = BotApplication.open(config, Role.ALL);
      app.startServing(
          null, new SlackLogin(FakeSlack.BOT_TOKEN, FakeSlack.SIGNING_SECRET), Clock.systemUTC());
      return new SlackBenchBot(fake, app, db, cache, uncaught, previous);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeAll(app, fake, db, cache);
      Thread.setDefaultUncaughtExceptionHandler(previous);
      throw e;
    }
  }

  /** The port of the bot's Slack endpoint. */
  int port() {
    return app.slack().orElseThrow().port();
  }

  /** Exceptions no thread caught since the bot started. */
  int uncaught() {
    return uncaught.get();
  }

  /** What kind of database holds the bot's tables: h2 or postgresql. */
  String databaseKind() {
    return db.kind();
  }

  @Override
  public void close() throws IOException {
    try {
      closeAll(app, fake, db, cache);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static void closeAll(BotApplication app, FakeSlack fake, BenchDatabase db, Path cache)
      throws IOException {
    try {
      if (app != null) {
        app.close(); // the adapter first, then the core
      }
    } finally {
      fake.close();
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
