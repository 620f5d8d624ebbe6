package org.imaginebot.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.imaginebot.cluster.Redis;
import org.imaginebot.cluster.RedisConfig;
import org.imaginebot.cluster.RedisJobQueue;
import org.imaginebot.cluster.RedisUnavailableException;
import org.imaginebot.queue.JobQueue;
import org.imaginebot.queue.JobStore;
import org.imaginebot.queue.QueueLimits;

/**
 * Which queue {@code bench queue} measures on its {@link BenchDatabase}: {@code local}, the
 * persistent queue a single {@code serve} runs ({@code JobQueue.persistent}), or {@code redis}, the
 * queue the nodes of a cluster share ({@link RedisJobQueue}: each job in the database, the fair
 * order in Redis) under a throwaway key prefix whose keys are removed on {@link #close()}.
 */
public sealed interface QueueBackend extends AutoCloseable {

  /** {@code local} or {@code redis}, as {@code --backend} names it and the JSON reports it. */
  String name();

  /**
   * A new queue with {@code limits} over {@code store}, empty when the previous one was left empty;
   * close it after its run.
   */
  Opened open(QueueLimits limits, Clock clock, JobStore store);

  @Override
  void close();

  /** A queue under test and what its run leaves to close. */
  record Opened(JobQueue queue, AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() {
      try {
        resources.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close the benchmark's queue: " + e.getMessage(), e);
      }
    }
  }

  /** The persistent queue {@code serve} runs on one node. */
  static QueueBackend local() {
    return new Local();
  }

  /**
   * The Redis queue at {@code url} under {@code prefix}, or under a fresh {@code bench-<random>:}
   * when {@code prefix} is null.
   *
   * @throws IllegalArgumentException when the URL is not a redis:// URL, or the prefix is malformed
   *     or already holds keys (the benchmark removes every key under it afterwards)
   * @throws RedisUnavailableException when Redis cannot be reached
   */
  static QueueBackend redis(String url, String prefix) {
    return new RedisBackend(url, prefix == null ? RedisBackend.randomPrefix() : prefix);
  }

  /** {@code JobQueue.persistent}: nothing to close. */
  final class Local implements QueueBackend {

    private Local() {}

    @Override
    public String name() {
      return "local";
    }

    @Override
    public Opened open(QueueLimits limits, Clock clock, JobStore store) {
      return new Opened(JobQueue.persistent(limits, clock, store), () -> {});
    }

    @Override
    public void close() {}
  }

  /**
   * {@link RedisJobQueue} as a node running one worker slot builds it; each run gets a node of its
   * own (a new connection), all under one prefix, which is emptied (SCAN + DEL) on close.
   */
  final class RedisBackend implements QueueBackend {

    private static final String NODE = "bench";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final RedisConfig config;
    private final Redis admin;

    private RedisBackend(String url, String prefix) {
      String scheme = url.toLowerCase(Locale.ROOT);
      if (!(scheme.startsWith("redis://") || scheme.startsWith("rediss://"))) {
        throw new IllegalArgumentException(
            "--redis must be a redis:// URL such as redis://127.0.0.1:6379/0");
      }
      // Letters, digits and . _ : - only: the prefix is a SCAN pattern when its keys are removed.
      if (!prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
        throw new IllegalArgumentException(
            "--redis-prefix must be 1 to 64 letters, digits, '.', '_', ':' or '-', got '"
                + prefix
                + "'");
      }
      this.config = new RedisConfig(url, prefix, NODE);
      this.admin = Redis.connect(config);
      try {
        if (!keys().isEmpty()) {
          throw new IllegalArgumentException(
              "--redis-prefix "
                  + prefix
                  + " already has keys in Redis; the benchmark removes every key under its prefix"
                  + " afterwards, so name an unused one");
        }
      } catch (RuntimeException e) {
        admin.close();
        throw e;
      }
    }

    static String randomPrefix() {
      return "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ":";
    }

    /** The key prefix of this run. */
    public String prefix() {
      return config.keyPrefix();
    }

    @Override
    public String name() {
      return "redis";
    }

    @Override
    public Opened open(QueueLimits limits, Clock clock, JobStore store) {
      Redis redis = Redis.connect(config);
      try {
        RedisJobQueue queue = new RedisJobQueue(redis, store, limits, clock, LEASE, () -> 1, 1);
        return new Opened(
            queue,
            () -> {
              try {
                queue.close();
              } finally {
                redis.close();
              }
            });
      } catch (RuntimeException e) {
        redis.close();
        throw e;
      }
    }

    /** Some keys under the prefix (at most one SCAN page); empty when there are none. */
    private java.util.List<String> keys() {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = admin.commands().scan(cursor, pattern(500));
        if (!page.getKeys().isEmpty()) {
          return page.getKeys();
        }
        cursor = page;
      } while (!cursor.isFinished());
      return java.util.List.of();
    }

    private ScanArgs pattern(long count) {
      return ScanArgs.Builder.matches(config.keyPrefix() + "*").limit(count);
    }

    /** Removes every key under the prefix. */
    @Override
    public void close() {
      try {
        admin.removeAllKeys();
      } catch (RedisException e) {
        throw new RedisUnavailableException(
            "cannot remove the benchmark's keys "
                + config.keyPrefix()
                + "* from Redis at "
                + config.redactedUrl()
                + ": "
                + e.getMessage()
                + "; delete them by hand",
            e);
      } finally {
        admin.close();
      }
    }
  }
}
