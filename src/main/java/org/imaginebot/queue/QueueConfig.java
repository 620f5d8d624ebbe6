package org.imaginebot.queue;

import java.time.Duration;

/**
 * The {@code queue} section.
 *
 * @param maxQueued jobs waiting at most, all users together (1..100000)
 * @param database JDBC URL of the database holding jobs, settings, the audit log and button refs;
 *     an H2 file under {@code data/} by default, PostgreSQL when scaled out
 * @param poolSize database connections held at most, shared by every store (1..100)
 * @param connectTimeout how long a call waits for a database connection before it fails, so a
 *     request during an outage is refused quickly (0.25 s..30 s)
 * @param buttonTtl how long the buttons of a finished image (Re-roll, Variations) keep working,
 *     restarts included (at least a minute)
 * @param backend {@code local}: the queue lives in this process; {@code redis}: bot nodes and
 *     workers share it through Redis ({@code redis.url}) and the database
 */
public record QueueConfig(
    int maxQueued,
    String database,
    int poolSize,
    Duration connectTimeout,
    Duration buttonTtl,
    String backend) {

  /** The {@code backend} that keeps the queue in this process. */
  public static final String LOCAL = "local";

  /** The {@code backend} that shares the queue through Redis. */
  public static final String REDIS = "redis";

  public QueueConfig {
    if (maxQueued < 1 || maxQueued > 100_000) {
      throw new IllegalArgumentException(
          "queue.maxQueued must be between 1 and 100000, got " + maxQueued);
    }
    if (database == null || !database.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "queue.database must be a JDBC URL such as jdbc:h2:file:./data/imagine-bot, got "
              + database);
    }
    if (poolSize < 1 || poolSize > 100) {
      throw new IllegalArgumentException(
          "queue.poolSize must be between 1 and 100, got " + poolSize);
    }
    if (connectTimeout == null
        || connectTimeout.toMillis() < 250
        || connectTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException(
          "queue.connectTimeout must be between PT0.25S and PT30S, got " + connectTimeout);
    }
    if (buttonTtl == null || buttonTtl.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(
          "queue.buttonTtl must be at least PT1M, such as P7D, got " + buttonTtl);
    }
    if (!LOCAL.equals(backend) && !REDIS.equals(backend)) {
      throw new IllegalArgumentException("queue.backend must be local or redis, got " + backend);
    }
  }

  /** True when the queue is shared through Redis. */
  public boolean redis() {
    return REDIS.equals(backend);
  }
}
