package org.imaginebot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.imaginebot.bench.BenchDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bench bot runs on whatever its platform: a throwaway database (a fresh H2 file, or a
 * schema of its own in a given one) and result cache, removed on close, the settings that point the
 * bot at them and let users send as fast as a load asks, and a count of the exceptions no thread
 * caught meanwhile.
 */
final class BenchEnvironment implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BenchEnvironment.class);

  private final BenchDatabase db;
  private final Path cache;
  private final AtomicInteger uncaught;
  private final Thread.UncaughtExceptionHandler previous;

  private BenchEnvironment(
      BenchDatabase db,
      Path cache,
      AtomicInteger uncaught,
      Thread.UncaughtExceptionHandler previous) {
    this.db = db;
    this.cache = cache;
    this.uncaught = uncaught;
    this.previous = previous;
  }

  /**
   * Starts counting uncaught exceptions and makes the database and the cache.
   *
   * @param database a JDBC URL whose throwaway schema holds the bot's tables, or null for a fresh
   *     H2 file
   */
  static BenchEnvironment open(String database) throws IOException {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    AtomicInteger uncaught = new AtomicInteger();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          uncaught.incrementAndGet();
          LOG.error("uncaught exception in thread {}", thread.getName(), e);
        });
    BenchDatabase db = null;
    try {
      db = database == null ? BenchDatabase.h2File() : BenchDatabase.schemaIn(database);
      Path cache = Files.createTempDirectory("imagine-bench-cache");
      return new BenchEnvironment(db, cache, uncaught, previous);
    } catch (IOException | RuntimeException e) {
      if (db != null) {
        db.close();
      }
      Thread.setDefaultUncaughtExceptionHandler(previous);
      throw e;
    }
  }

  /**
   * The bot's settings for this environment: its database and cache, and limits that let users send
   * as fast as the load asks (the per-user queue cap, maxQueuedPerUser, stays).
   */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("queue.database", db.url());
    settings.put("cache.diskDir", cache.toString());
    settings.put("limits.requestsPerMinute", "600");
    settings.put("limits.scopeRequestsPerMinute", "10000");
    return settings;
  }

  /** The database's URL, as nodes reach it directly. */
  String databaseUrl() {
    return db.url();
  }

  /** What kind of database holds the bot's tables: h2 or postgresql. */
  String databaseKind() {
    return db.kind();
  }

  /** The result cache's disk tier. */
  Path cacheDir() {
    return cache;
  }

  /** Exceptions no thread caught since it opened. */
  int uncaught() {
    return uncaught.get();
  }

  /** Drops the database, deletes the cache and stops counting; after the bot has stopped. */
  @Override
  public void close() throws IOException {
    try {
      db.close();
      BenchJobs.deleteTree(cache);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }
}
